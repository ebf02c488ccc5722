import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type postgres from "postgres";
import { SingleColumnDecoder } from "./copy-decoder";

/**
 * A SQL literal for a statement that cannot take parameters (COPY). Plain
 * characters are inlined as they are; anything else (a quote, a backslash,
 * non-ASCII) is hex-encoded, so no input can end the literal early.
 */
export function sqlLiteral(value: string): string {
  if (/^[\w +\-/:.%]*$/.test(value)) return `'${value}'`;
  return `convert_from(decode('${Buffer.from(value, "utf8").toString("hex")}', 'hex'), 'UTF8')`;
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
