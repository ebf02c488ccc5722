import { bug } from "./errors";

/** The "binary COPY" signature that opens the stream (Postgres docs, COPY file formats). */
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Decodes `COPY ... TO STDOUT (FORMAT binary)` of one text column into the
 * concatenation of its values, chunk by chunk, as views of the chunks (no
 * copy): a value split across chunks is passed on in pieces. Binary rather
 * than text or csv because those formats escape or quote line breaks, and the
 * values here are finished CSV lines ending in CRLF.
 */
export class SingleColumnDecoder {
  /** Bytes of the file header still expected (signature, flags, extension length). */
  private header = 19;
  /** Bytes of the header extension or of the current value still to pass on. */
  private skip = 0;
  private value = 0;
  private rest: Buffer | null = null;
  done = false;

  /** Appends the value bytes found in `chunk` to `out`; returns how many. */
  push(chunk: Buffer, out: Buffer[]): number {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    let i = 0;
    let bytes = 0;
    while (i < buf.length && !this.done) {
      if (this.value > 0 || this.skip > 0) {
        const n = Math.min(this.value || this.skip, buf.length - i);
        if (this.value > 0) {
          out.push(buf.subarray(i, i + n));
          bytes += n;
          this.value -= n;
        } else this.skip -= n;
        i += n;
        continue;
      }
      const avail = buf.length - i;
      if (this.header > 0) {
        if (avail < this.header) break;
        if (!buf.subarray(i, i + 11).equals(SIGNATURE)) throw bug("COPY: not a binary COPY stream");
        this.skip = buf.readInt32BE(i + 15);
        this.header = 0;
        i += 19;
        continue;
      }
      if (avail < 2) break;
      const fields = buf.readInt16BE(i);
      if (fields === -1) {
        this.done = true;
        break;
      }
      if (fields !== 1) throw bug(`COPY: expected one column, got ${fields}`);
      if (avail < 6) break;
      this.value = Math.max(buf.readInt32BE(i + 2), 0); // -1 is NULL: nothing to pass on
      i += 6;
    }
    if (i < buf.length && !this.done) this.rest = Buffer.from(buf.subarray(i));
    return bytes;
  }
}
