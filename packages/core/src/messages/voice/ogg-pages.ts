/**
 * Ogg pages (RFC 3533): just enough to write a single Opus stream and read one
 * back, packets whole, CRCs checked. No dependency: the voice-note path runs on
 * servers that have no ffmpeg.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0. */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ b) & 0xff] ?? 0)) >>> 0;
  return crc;
}

export const OGG_BOS = 0x02;
export const OGG_EOS = 0x04;
const CONTINUED = 0x01;
const HEADER = 27;

/** One page holding whole packets; `granule` is the sample count after its last packet. */
export function oggPage(
  packets: Uint8Array[],
  opts: { serial: number; sequence: number; granule: bigint; flags: number },
): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let left = p.length; ; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) break;
    }
  }
  if (lacing.length > 255) throw new RangeError("an Ogg page holds at most 255 segments");
  const size = packets.reduce((n, p) => n + p.length, 0);
  const page = new Uint8Array(HEADER + lacing.length + size);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53]); // "OggS"
  page[5] = opts.flags;
  view.setBigInt64(6, opts.granule, true);
  view.setUint32(14, opts.serial, true);
  view.setUint32(18, opts.sequence, true);
  page[26] = lacing.length;
  page.set(lacing, HEADER);
  let at = HEADER + lacing.length;
  for (const p of packets) {
    page.set(p, at);
    at += p.length;
  }
  view.setUint32(22, oggCrc(page), true);
  return page;
}

/** Segments a packet takes on a page (a length that is a multiple of 255 ends with a 0). */
export const segmentsOf = (packet: Uint8Array) => Math.floor(packet.length / 255) + 1;

export type OggStream = { packets: Uint8Array[]; lastGranule: bigint; pages: number };

/**
 * The packets of a one-stream Ogg file, or the problem that makes it unreadable:
 * a page without "OggS", a bad CRC, a truncated page, a second stream, a packet
 * left open at the end.
 */
export function readOgg(bytes: Uint8Array): OggStream | { problem: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: Uint8Array[] = [];
  let open: Uint8Array[] = [];
  let serial: number | null = null;
  let lastGranule = 0n;
  let pages = 0;
  for (let at = 0; at < bytes.length; pages++) {
    if (at + HEADER > bytes.length) return { problem: "truncated page header" };
    if (view.getUint32(at) !== 0x4f676753) return { problem: `no OggS capture pattern at byte ${at}` };
    if (bytes[at + 4] !== 0) return { problem: "unknown Ogg version" };
    const flags = bytes[at + 5] ?? 0;
    const nsegs = bytes[at + 26] ?? 0;
    const lacing = bytes.subarray(at + HEADER, at + HEADER + nsegs);
    const size = lacing.reduce((n, l) => n + l, 0);
    const end = at + HEADER + nsegs + size;
    if (lacing.length < nsegs || end > bytes.length) return { problem: "truncated page" };
    const page = bytes.slice(at, end);
    const crc = view.getUint32(at + 22, true);
    page.fill(0, 22, 26);
    if (oggCrc(page) !== crc) return { problem: `bad CRC on page ${pages}` };
    const pageSerial = view.getUint32(at + 14, true);
    if (serial !== null && pageSerial !== serial) return { problem: "more than one logical stream" };
    serial = pageSerial;
    if (!(flags & CONTINUED) && open.length > 0) return { problem: "a packet was cut between pages" };
    let dataAt = at + HEADER + nsegs;
    let start = dataAt;
    for (const l of lacing) {
      dataAt += l;
      if (l < 255) {
        open.push(bytes.subarray(start, dataAt));
        packets.push(concat(open));
        open = [];
        start = dataAt;
      }
    }
    if (start < dataAt) open.push(bytes.subarray(start, dataAt));
    const granule = view.getBigInt64(at + 6, true);
    if (granule >= 0n) lastGranule = granule;
    at = end;
  }
  if (open.length > 0) return { problem: "the last packet is incomplete" };
  return { packets, lastGranule, pages };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
