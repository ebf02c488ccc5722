/**
 * The Opus track of a WebM (Matroska) file, as Chromium's MediaRecorder writes it
 * (`audio/webm;codecs=opus`): live-style, with Segment and Clusters of unknown
 * size. Elements are read in one flat pass, stepping into the containers we need
 * instead of over them, so unknown sizes never have to be resolved.
 */

const EBML = 0x1a45dfa3;
/** Containers stepped into: Segment, Tracks, TrackEntry, Audio, Cluster, BlockGroup. */
const MASTERS = new Set([0x18538067, 0x1654ae6b, 0xae, 0xe1, 0x1f43b675, 0xa0]);
const TRACK_ENTRY = 0xae;
const TRACK_NUMBER = 0xd7;
const CODEC_ID = 0x86;
const CODEC_PRIVATE = 0x63a2;
const CODEC_DELAY = 0x56aa;
const CHANNELS = 0x9f;
const SIMPLE_BLOCK = 0xa3;
const BLOCK = 0xa1;

type Track = { number: number; codec?: string; head?: Uint8Array; channels?: number; codecDelayNs?: number };
export type WebmOpus = { head?: Uint8Array; channels: number; codecDelayNs: number; packets: Uint8Array[] };

/** A variable-length integer: its value (marker bit kept for ids) and length; null if malformed. */
function vint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number } | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i] ?? 0;
    value = value * 256 + b;
    allOnes &&= b === 0xff;
  }
  return { value: !keepMarker && allOnes ? -1 : value, length };
}

function uint(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** The Opus packets of the file's first Opus track, or the problem that stops reading it. */
export function readWebmOpus(bytes: Uint8Array): WebmOpus | { problem: string } {
  const tracks: Track[] = [];
  const blocks: Array<{ track: number; data: Uint8Array }> = [];
  for (let at = 0; at < bytes.length; ) {
    const id = vint(bytes, at, true);
    const size = id && vint(bytes, at + id.length, false);
    if (!id || !size) return { problem: `malformed element at byte ${at}` };
    if (at === 0 && id.value !== EBML) return { problem: "not an EBML (WebM) file" };
    const start = at + id.length + size.length;
    if (MASTERS.has(id.value)) {
      if (id.value === TRACK_ENTRY) tracks.push({ number: 0 });
      at = start;
      continue;
    }
    if (size.value < 0) return { problem: "unknown size on a non-container element" };
    const end = start + size.value;
    if (end > bytes.length) return { problem: "the file is truncated" };
    const data = bytes.subarray(start, end);
    const track = tracks.at(-1);
    if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
      const n = vint(data, 0, false);
      if (!n || data.length < n.length + 3) return { problem: "malformed block" };
      if ((data[n.length + 2] ?? 0) & 0x06) return { problem: "laced blocks are not supported" };
      blocks.push({ track: n.value, data: data.subarray(n.length + 3) });
    } else if (track && id.value === TRACK_NUMBER) track.number = uint(data);
    else if (track && id.value === CODEC_ID) track.codec = new TextDecoder().decode(data);
    else if (track && id.value === CODEC_PRIVATE) track.head = data;
    else if (track && id.value === CHANNELS) track.channels = uint(data);
    else if (track && id.value === CODEC_DELAY) track.codecDelayNs = uint(data);
    at = end;
  }
  const opus = tracks.find((t) => t.codec === "A_OPUS");
  if (!opus) return { problem: "no Opus audio track" };
  return {
    head: opus.head,
    channels: opus.channels ?? 1,
    codecDelayNs: opus.codecDelayNs ?? 0,
    packets: blocks.filter((b) => b.track === opus.number).map((b) => b.data),
  };
}
