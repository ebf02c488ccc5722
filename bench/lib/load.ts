import { Agent, request } from "node:http";
import { type Summary, summarize } from "./stats";

export type LoadOptions = {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A body and headers of its own for each request (distinct webhooks, say); merged over `headers`. */
  next?: () => { body: string; headers: Record<string, string> };
  /** Concurrent keep-alive connections, each running requests back to back. */
  connections: number;
  /** Stop after this long (ms)... */
  durationMs?: number;
  /** ...or after this many requests in total, whichever is given. */
  requests?: number;
  /** Expected status; anything else counts as an error. */
  expectStatus?: number;
  /** A request without an answer after this long counts as an error (default 10 s), so a stuck server ends the run. */
  timeoutMs?: number;
};

export type LoadResult = {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  latencyMs: Summary;
  firstError?: string;
};

/**
 * A closed-loop HTTP load generator: `connections` keep-alive sockets, each
 * sending the next request as soon as the previous answer is read. The same
 * loop drives a target and its baseline, so the ratio compares servers, not
 * clients.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (!opts.durationMs && !opts.requests) throw new Error("runLoad needs durationMs or requests");
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
  const target = new URL(opts.url);
  const expect = opts.expectStatus ?? 200;
  const latencies: number[] = [];
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = opts.durationMs ? start + opts.durationMs : Number.POSITIVE_INFINITY;
  const more = () => performance.now() < deadline && (opts.requests === undefined || issued < opts.requests);

  const one = () =>
    new Promise<void>((resolve) => {
      const own = opts.next?.();
      const t0 = performance.now();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: opts.method ?? "GET",
          headers: own ? { ...opts.headers, ...own.headers } : opts.headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode !== expect) {
              errors++;
              firstError ??= `HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString("utf8").slice(0, 200)}`;
            }
            resolve();
          });
        },
      );
      req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error("request timed out")));
      req.on("error", (err) => {
        errors++;
        firstError ??= err.message;
        resolve();
      });
      req.end(own ? own.body : opts.body);
    });

  const worker = async () => {
    while (more()) {
      issued++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    latencyMs: summarize(latencies),
    firstError,
  };
}
