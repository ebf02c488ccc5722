import { DomainError } from "../../shared/errors";
import { OGG_BOS, OGG_EOS, oggPage, readOgg, segmentsOf } from "./ogg-pages";
import { isOpusTags, opusHead, opusPacketSamples, opusTags, parseOpusHead } from "./opus-packet";
import { readWebmOpus } from "./webm-opus";

/** Shorter than this is a slip of the finger, not a message. */
export const VOICE_MIN_MS = 500;
/** Bounds the work and the file; the console stops recording here. */
export const VOICE_MAX_SECONDS = 600;
/** Containers a recording may arrive in: Ogg (Firefox, opus-capable recorders) or WebM (Chromium, Safari 18.4+). */
export const VOICE_UPLOAD_TYPES = ["audio/ogg", "audio/webm"];

export type VoiceNote = { bytes: Uint8Array; mimeType: "audio/ogg"; durationMs: number };

const notOggOpus = (problem: string) =>
  new DomainError("VOICE_NOT_OGG_OPUS", `file: a voice note must be OGG audio with the Opus codec (${problem})`, {
    field: "file",
    reason: "VOICE_NOT_OGG_OPUS",
  });

/**
 * A recorded voice note made ready for WhatsApp, which plays only mono OGG/Opus as
 * a voice message (Meta refuses anything else; Evolution would transcode it with
 * its own ffmpeg). WebM/Opus is remuxed to Ogg, no re-encoding; the result (or an
 * uploaded Ogg) is then read back whole: capture patterns, CRCs, OpusHead,
 * OpusTags, mono, and a duration between VOICE_MIN_MS and VOICE_MAX_SECONDS.
 */
export function prepareVoiceNote(bytes: Uint8Array, mimeType: string): VoiceNote {
  const base = mimeType.split(";")[0]?.trim().toLowerCase();
  const ogg = base === "audio/webm" ? webmToOgg(bytes) : bytes;
  const stream = readOgg(ogg);
  if ("problem" in stream) throw notOggOpus(stream.problem);
  const [first, second, ...audio] = stream.packets;
  const head = first && parseOpusHead(first);
  if (!head) throw notOggOpus("the first packet is not an OpusHead");
  if (!second || !isOpusTags(second)) throw notOggOpus("the second packet is not OpusTags");
  if (head.channels !== 1) {
    throw new DomainError("VOICE_NOT_MONO", "file: a voice note must be mono", {
      field: "file",
      channels: head.channels,
    });
  }
  // The last granule counts every sample decoded, pre-skip included (RFC 7845 §4).
  const samples = Number(stream.lastGranule) - head.preSkip;
  const durationMs = Math.round(samples / 48);
  if (audio.length === 0 || durationMs < VOICE_MIN_MS) {
    throw new DomainError("VOICE_TOO_SHORT", "file: the voice note is too short", {
      field: "file",
      minMs: VOICE_MIN_MS,
    });
  }
  if (durationMs > VOICE_MAX_SECONDS * 1000) {
    throw new DomainError("VOICE_TOO_LONG", `file: a voice note can last at most ${VOICE_MAX_SECONDS} s`, {
      field: "file",
      maxSeconds: VOICE_MAX_SECONDS,
    });
  }
  return { bytes: ogg, mimeType: "audio/ogg", durationMs };
}

/** Packets per page: Ogg Opus suggests pages of about a second (RFC 7845 §6). */
const PACKETS_PER_PAGE = 50;

/** The WebM's Opus packets rewrapped as an Ogg Opus stream, bytes unchanged. */
export function webmToOgg(bytes: Uint8Array): Uint8Array {
  const webm = readWebmOpus(bytes);
  if ("problem" in webm) throw notOggOpus(webm.problem);
  // Matroska gives the pre-skip as CodecDelay in nanoseconds when it has no OpusHead.
  const head = webm.head ?? opusHead(webm.channels, Math.round((webm.codecDelayNs * 48) / 1e6));
  const serial = (Math.random() * 0xffffffff) >>> 0;
  const pages = [
    oggPage([head], { serial, sequence: 0, granule: 0n, flags: OGG_BOS }),
    oggPage([opusTags()], { serial, sequence: 1, granule: 0n, flags: 0 }),
  ];
  let granule = 0n;
  let batch: Uint8Array[] = [];
  let segments = 0;
  const flush = (last: boolean) => {
    pages.push(oggPage(batch, { serial, sequence: pages.length, granule, flags: last ? OGG_EOS : 0 }));
    batch = [];
    segments = 0;
  };
  webm.packets.forEach((packet, i) => {
    if (batch.length === PACKETS_PER_PAGE || segments + segmentsOf(packet) > 255) flush(false);
    batch.push(packet);
    segments += segmentsOf(packet);
    granule += BigInt(opusPacketSamples(packet));
    if (i === webm.packets.length - 1) flush(true);
  });
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
