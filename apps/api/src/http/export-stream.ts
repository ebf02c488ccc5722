import type { ServerResponse } from "node:http";
import type { Logger } from "pino";

const encoder = new TextEncoder();

/**
 * The body of a download streamed from `chunks` (a generator holding a
 * database connection, e.g. a COPY), pulled only as fast as the client reads.
 * A client that leaves cancels it. A client that stays but stops reading would
 * hold the connection (and the backend) for ever: when a chunk is not taken
 * within `stallMs`, the download ends, the generator is closed (its connection
 * freed) and the HTTP connection dropped.
 */
export function exportStream(
  chunks: AsyncGenerator<Uint8Array | string>,
  first: IteratorResult<Uint8Array | string>,
  opts: { stallMs: number; log: Logger; outgoing?: ServerResponse },
): ReadableStream<Uint8Array> {
  let pending: IteratorResult<Uint8Array | string> | null = first;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
    return chunks.return(undefined).catch((err: unknown) => opts.log.warn({ err }, "export cleanup failed"));
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      clearTimeout(timer);
      try {
        const next = pending ?? (await chunks.next());
        pending = null;
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
        timer = setTimeout(() => {
          opts.log.warn({ stallMs: opts.stallMs }, "export reader stopped reading; download ended");
          void stop();
          // Dropping the connection cancels the body too; without node's response, fail the body instead.
          if (opts.outgoing) opts.outgoing.destroy();
          else controller.error(new Error("export reader stalled"));
        }, opts.stallMs);
        timer.unref();
      } catch (err) {
        opts.log.error({ err }, "export failed");
        controller.error(err);
      }
    },
    async cancel() {
      await stop();
    },
  });
}
