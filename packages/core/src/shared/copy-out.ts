import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type postgres from "postgres";

/**
 * A SQL literal for a statement that cannot take parameters (COPY). Plain
 * characters are inlined as they are; anything else (a quote, a backslash,
 * non-ASCII) is hex-encoded, so no input can end the literal early.
 */
export function sqlLiteral(value: string): string {
  if (/^[\w +\-/:.%]*$/.test(value)) return `'${value}'`;
  return `convert_from(decode('${Buffer.from(value, "utf8").toString("hex")}', 'hex'), 'UTF8')`;
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Decodes `COPY ... TO STDOUT (FORMAT binary)` of one text column into the
 * concatenation of its values, chunk by chunk, as views of the chunks (no
 * copy): a value split across chunks is passed on in pieces.
 * Binary rather than text or csv because those formats escape or quote line
 * breaks, and the values here are finished CSV lines ending in CRLF.
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
        if (!buf.subarray(i, i + 11).equals(SIGNATURE)) throw new Error("COPY: not a binary COPY stream");
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
      if (fields !== 1) throw new Error(`COPY: expected one column, got ${fields}`);
      if (avail < 6) break;
      this.value = Math.max(buf.readInt32BE(i + 2), 0); // -1 is NULL: nothing to pass on
      i += 6;
    }
    if (i < buf.length && !this.done) this.rest = Buffer.from(buf.subarray(i));
    return bytes;
  }
}

/** Bytes handed on at once: one copy per batch, few enough writes to the socket. */
const BATCH_BYTES = 64 * 1024;

/**
 * Streams the single text column of `select` straight from Postgres as bytes
 * (COPY TO STDOUT on a reserved connection, in a transaction for `settings`),
 * in batches of about 64 KB and only as fast as the consumer pulls: no row
 * objects and no strings on the JS heap, and each byte copied once. If the
 * consumer stops early, the COPY is cancelled and drained so the connection
 * goes back to the pool usable.
 */
export async function* copyOutColumn(
  sql: postgres.Sql,
  select: string,
  settings: Record<string, string>,
): AsyncGenerator<Buffer> {
  const conn = await sql.reserve();
  let query: postgres.PendingQuery<postgres.Row[]> | undefined;
  let stream: Readable | undefined;
  let committed = false;
  try {
    await conn.unsafe("begin");
    for (const [name, value] of Object.entries(settings)) await conn`select set_config(${name}, ${value}, true)`;
    query = conn.unsafe(`copy (${select}) to stdout (format binary)`);
    stream = await query.readable();
    yield* batches(stream);
    await conn.unsafe("commit");
    committed = true;
  } finally {
    if (!committed) {
      if (query && stream && !stream.readableEnded && !stream.destroyed) {
        // Sends a CancelRequest on a new connection; the COPY then ends with an error once its data is read.
        query.cancel();
        stream.resume();
        await finished(stream).catch(() => {});
      }
      await conn.unsafe("rollback").catch(() => {});
    }
    conn.release();
  }
}

/**
 * The decoded values in batches. postgres.js pushes one row per chunk; reading them as they come (rather than
 * with read(), which concatenates what is buffered) leaves a single copy, into the batch. The stream is
 * paused while a full batch waits for the consumer, which pauses the socket behind it.
 */
async function* batches(stream: Readable): AsyncGenerator<Buffer> {
  const decoder = new SingleColumnDecoder();
  let parts: Buffer[] = [];
  let size = 0;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const onData = (chunk: Buffer) => {
    try {
      size += decoder.push(chunk, parts);
    } catch (err) {
      failure ??= err;
    }
    if (size >= BATCH_BYTES || failure) {
      stream.pause();
      wake?.();
    }
  };
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (err: unknown) => {
    failure ??= err;
    wake?.();
  };
  stream.on("data", onData).once("end", onEnd).once("error", onError);
  try {
    for (;;) {
      if (size < BATCH_BYTES && !ended && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (failure) throw failure;
      if (size > 0) {
        const batch = parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts, size);
        parts = [];
        size = 0;
        yield batch;
      }
      if (ended) return;
      stream.resume();
    }
  } finally {
    stream.off("data", onData).off("end", onEnd).off("error", onError);
  }
}
