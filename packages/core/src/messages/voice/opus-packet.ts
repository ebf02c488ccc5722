/** Opus packets and headers (RFC 6716 §3.1, RFC 7845 §5). */

/** Frame length, in 48 kHz samples, by the TOC's configuration number (0–31). */
function frameSamples(config: number): number {
  if (config < 12) return [480, 960, 1920, 2880][config % 4] ?? 960; // SILK 10/20/40/60 ms
  if (config < 16) return config % 2 === 0 ? 480 : 960; // hybrid 10/20 ms
  return [120, 240, 480, 960][config % 4] ?? 960; // CELT 2.5/5/10/20 ms
}

/** Samples (at 48 kHz) one Opus packet decodes to; 0 for an empty or malformed packet. */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) return 0;
  const code = toc & 0x03;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frames * frameSamples(toc >> 3);
}

export type OpusHead = { channels: number; preSkip: number; inputRate: number; mappingFamily: number };

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** The identification header ("OpusHead", version 0.x), or null when the packet is not one. */
export function parseOpusHead(packet: Uint8Array): OpusHead | null {
  if (packet.length < 19 || ascii(packet, 0, 8) !== "OpusHead") return null;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  if ((packet[8] ?? 0xff) >> 4 !== 0) return null;
  return {
    channels: packet[9] ?? 0,
    preSkip: view.getUint16(10, true),
    inputRate: view.getUint32(12, true),
    mappingFamily: packet[18] ?? 0,
  };
}

export const isOpusTags = (packet: Uint8Array) => packet.length >= 16 && ascii(packet, 0, 8) === "OpusTags";

/** A mono/stereo OpusHead for a stream whose container gave none. */
export function opusHead(channels: number, preSkip: number): Uint8Array {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode("OpusHead"));
  head[8] = 1;
  head[9] = channels;
  view.setUint16(10, preSkip, true);
  view.setUint32(12, 48000, true);
  return head;
}

/** A comment header naming us as the vendor, with no comments. */
export function opusTags(): Uint8Array {
  const vendor = new TextEncoder().encode("elsehu");
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  const view = new DataView(tags.buffer);
  tags.set(new TextEncoder().encode("OpusTags"));
  view.setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  return tags;
}
