/**
 * Authenticated `auth.me` over HTTP vs a bare Hono route (same JSON shape); target ratio ≥ 0.35.
 *
 * The servers (real `startApi` and a bare `@hono/node-server` app) run in a
 * child process; this process only drives load, so client cost is not billed
 * to the servers. Both targets get the same closed loop: N keep-alive
 * connections for a fixed duration (or --size requests each), run in
 * alternating rounds so drift (JIT warm-up, Postgres caches) hits both alike.
 *
 * Flags: --size N (requests per target per round; default: time-based)
 *        --duration S (seconds per target per round, default 5)
 *        --rounds R (default 2) --connections C (default 16)
 *        --only api|baseline (load one target, e.g. while profiling the
 *        server with BENCH_NODE_OPTIONS="--cpu-prof"; prints no ratio)
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "./lib/args";
import { type LoadResult, runLoad } from "./lib/load";
import { printResult, verdict } from "./lib/output";

const TARGET = 0.35;

type Ready = { apiUrl: string; baselineUrl: string; token: string };

if (process.env.BENCH_HTTP_ROLE === "server") {
  await import("./lib/http-servers").then((m) => m.serveForBench());
} else {
  await main();
}

async function main() {
  const args = parseArgs();
  const connections = args.number("connections", 16);
  const rounds = args.number("rounds", 2);
  const requests = args.flags.has("size") ? args.number("size", 0) : undefined;
  const durationMs = requests ? undefined : args.number("duration", 5) * 1000;
  const only = args.string("only", "");

  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_HTTP_ROLE: "server" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Ready));
    child.once("exit", (code) => reject(new Error(`server process exited early (${code})`)));
  });

  try {
    const api = { url: `${ready.apiUrl}/trpc/auth.me`, headers: { authorization: `Bearer ${ready.token}` } };
    const base = { url: `${ready.baselineUrl}/x`, headers: { authorization: `Bearer ${ready.token}` } };
    // Warm-up: JIT, connection pools, Postgres buffers.
    await runLoad({ ...api, connections, durationMs: 1500 });
    await runLoad({ ...base, connections, durationMs: 1500 });

    if (only) {
      const run = await runLoad({ ...(only === "api" ? api : base), connections, durationMs, requests });
      console.log(
        `${only}: ${Math.round(run.rps)} req/s  p50 ${run.latencyMs.p50.toFixed(2)} ms, errors ${run.errors}`,
      );
      return;
    }
    const apiRuns: LoadResult[] = [];
    const baseRuns: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      baseRuns.push(await runLoad({ ...base, connections, durationMs, requests }));
      apiRuns.push(await runLoad({ ...api, connections, durationMs, requests }));
    }
    // A few timeouts on an overloaded machine are reported; more than 1% means the figures are meaningless.
    const errors = [...apiRuns, ...baseRuns].reduce((s, r) => s + r.errors, 0);
    const firstError = [...apiRuns, ...baseRuns].find((r) => r.firstError)?.firstError;
    const sent = [...apiRuns, ...baseRuns].reduce((s, r) => s + r.requests, 0);
    if (errors > sent / 100) throw new Error(`${errors} of ${sent} requests failed (first: ${firstError})`);
    if (errors > 0) console.log(`warning: ${errors} of ${sent} requests failed (first: ${firstError})`);

    const total = (runs: LoadResult[]) => ({
      rps: runs.reduce((s, r) => s + r.requests, 0) / runs.reduce((s, r) => s + r.seconds, 0),
      p50: median(runs.map((r) => r.latencyMs.p50)),
      p99: median(runs.map((r) => r.latencyMs.p99)),
    });
    const a = total(apiRuns);
    const b = total(baseRuns);
    const ratio = a.rps / b.rps;
    printResult({ name: "http", rps: Math.round(a.rps), baseline_rps: Math.round(b.rps), ratio }, [
      `connections: ${connections}, rounds: ${rounds}, ${requests ? `${requests} requests` : `${(durationMs ?? 0) / 1000}s`} per target per round`,
      `auth.me (startApi, Bearer): ${Math.round(a.rps)} req/s  p50 ${a.p50.toFixed(2)} ms  p99 ${a.p99.toFixed(2)} ms`,
      `bare Hono route:            ${Math.round(b.rps)} req/s  p50 ${b.p50.toFixed(2)} ms  p99 ${b.p99.toFixed(2)} ms`,
      `ratio: ${ratio.toFixed(3)}  ${verdict(ratio, TARGET)}`,
    ]);
  } finally {
    child.send("stop");
    await new Promise((r) => child.once("exit", r));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
