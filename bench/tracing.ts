/**
 * Cost of tracing: auth.me over HTTP and signed webhooks through the worker, tracing on (10 % sampled) vs off.
 *
 * Two server processes (children of this one) run the real API and worker (startApi + startWorker), each
 * on its own database, identical but for the standard OTEL_* variables: one has none (tracing off, nothing
 * loaded), the other exports OTLP/HTTP (protobuf) to an in-process receiver here, sampling `--ratio` of the
 * paths (parentbased_traceidratio). The same closed-loop load runs against both in alternating rounds:
 * - http: authenticated `auth.me` (HTTP span, tRPC span, session SQL);
 * - webhooks: signed Meta inbound texts from 200 senders (acknowledgement), then the time until the worker
 *   has applied them all (webhook apply, inbound verb, events, jobs, SQL): "applied/s" counts both.
 * Ratios are tracing on / tracing off (1.0 = free). Last line: {"name":"tracing",…}.
 *
 * Flags: --duration S (seconds per target per round, default 5) --rounds R (default 3)
 *        --connections C (default 16) --ratio X (sampling, default 0.1)
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "./lib/args";
import { type LoadResult, runLoad } from "./lib/load";
import { printResult } from "./lib/output";

type Ready = { apiUrl: string; token: string; databaseUrl: string };

const PNID = "109876543210987";
const SECRET = "bench-app-secret";
const SENDERS = 200;

if (process.env.BENCH_TRACING_ROLE === "server") {
  await serve();
} else {
  await main();
}

/** The server side: real API + worker, tracing as this process's OTEL_* variables say. */
async function serve() {
  const { startApi } = await import("@elsehu/api");
  const { startWorker } = await import("@elsehu/worker");
  const core = await import("@elsehu/core");
  const { benchConfig, benchLog, unthrottled } = await import("./lib/core");
  const { benchDatabase } = await import("./lib/database");
  const telemetry = await core.startTelemetry(
    core.telemetryConfigFromEnv(core.parseEnv(core.commonEnv, process.env), "elsehu-bench"),
  );
  const database = await benchDatabase();
  const config = benchConfig();
  const api = await startApi({ databaseUrl: database.url, port: 0, log: benchLog, config, rateLimits: unthrottled });
  const worker = await startWorker({ databaseUrl: database.url, log: benchLog, config, cron: false });
  const email = "bench@elsehu.local";
  const password = "bench password 123";
  const user = await core.createUser(api.deps.core, null, { name: "Bench", email, password, role: "ADMIN" });
  const actor = { id: user.id, role: "ADMIN" as const, name: "Bench" };
  await core.createInstance(api.deps.core, actor, {
    provider: "META",
    name: "Bench",
    config: { phoneNumberId: PNID },
    secrets: { accessToken: "bench-access-token", appSecret: SECRET, verifyToken: "bench-verify-token" },
  });
  const res = await fetch(`${api.url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const token = ((await res.json()) as { result?: { data?: { token?: string } } }).result?.data?.token;
  if (!token) throw new Error(`login failed: HTTP ${res.status}`);
  process.send?.({ apiUrl: api.url, token, databaseUrl: database.url } satisfies Ready);
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  await worker.stop();
  await api.close();
  await telemetry?.shutdown();
  await database.close();
  process.exit(0);
}

async function main() {
  const args = parseArgs();
  const connections = args.number("connections", 16);
  const rounds = args.number("rounds", 3);
  const durationMs = args.number("duration", 5) * 1000;
  const ratio = args.number("ratio", 0.1);
  const { connect } = await import("@elsehu/db");
  const { signMetaBody } = await import("@elsehu/providers");
  const { metaWebhookEnvelope } = await import("@elsehu/providers/simulator");

  // The collector: takes every export, counts it.
  let exports = 0;
  let exportedBytes = 0;
  const receiver = createServer((req, res) => {
    req.on("data", (c: Buffer) => {
      exportedBytes += c.length;
    });
    req.on("end", () => {
      exports++;
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const start = async (env: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OTEL_")));
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...clean, ...env, BENCH_TRACING_ROLE: "server" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once("message", (m) => resolve(m as Ready));
      child.once("exit", (code) => reject(new Error(`server process exited early (${code})`)));
    });
    return { child, ready, db: connect(ready.databaseUrl, { max: 1 }) };
  };
  const off = await start({});
  const on = await start({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: String(ratio),
  });

  let n = 0;
  const webhook = () => {
    n++;
    const from = `55119${String(80000000 + (n % SENDERS)).padStart(8, "0")}`;
    const body = JSON.stringify(
      metaWebhookEnvelope(
        {
          contacts: [{ profile: { name: `Cliente ${n % SENDERS}` }, wa_id: from }],
          messages: [
            {
              from,
              id: `wamid.BENCH${n}`,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: "text",
              text: { body: `mensagem ${n}` },
            },
          ],
        },
        { phoneNumberId: PNID },
      ),
    );
    return { body, headers: { "x-hub-signature-256": signMetaBody(body, SECRET) } };
  };

  type Target = typeof off;
  const me = (t: Target) => ({
    url: `${t.ready.apiUrl}/trpc/auth.me`,
    headers: { authorization: `Bearer ${t.ready.token}` },
    connections,
  });
  const hooks = (t: Target) => ({
    url: `${t.ready.apiUrl}/webhooks/meta`,
    method: "POST",
    headers: { "content-type": "application/json" },
    next: webhook,
    connections,
  });
  /** Acknowledged webhooks, then the wait until the worker has applied them: applied per second overall. */
  const webhookRound = async (t: Target) => {
    const load = await runLoad({ ...hooks(t), durationMs });
    const began = performance.now() - load.seconds * 1000;
    for (;;) {
      const [r] = await t.db.sql<{ n: number }[]>`
        select count(*)::int as n from webhook_events where processed_at is null`;
      if (r?.n === 0) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    return { load, applied: load.requests / ((performance.now() - began) / 1000) };
  };

  try {
    // Warm-up: JIT, pools, Postgres buffers, the instance and sender caches.
    for (const t of [off, on]) {
      await runLoad({ ...me(t), durationMs: 1500 });
      await webhookRound(t);
    }
    const http = { off: [] as LoadResult[], on: [] as LoadResult[] };
    const hook = {
      off: [] as { load: LoadResult; applied: number }[],
      on: [] as { load: LoadResult; applied: number }[],
    };
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so drift hits both alike.
      const order: ["off" | "on", Target][] =
        r % 2 === 0
          ? [
              ["off", off],
              ["on", on],
            ]
          : [
              ["on", on],
              ["off", off],
            ];
      for (const [k, t] of order) http[k].push(await runLoad({ ...me(t), durationMs }));
      for (const [k, t] of order) hook[k].push(await webhookRound(t));
    }
    const all = [...http.off, ...http.on, ...hook.off.map((h) => h.load), ...hook.on.map((h) => h.load)];
    const errors = all.reduce((s, r) => s + r.errors, 0);
    const sent = all.reduce((s, r) => s + r.requests, 0);
    if (errors > sent / 100)
      throw new Error(`${errors} of ${sent} requests failed (first: ${all.find((r) => r.firstError)?.firstError})`);
    const rps = (runs: LoadResult[]) =>
      runs.reduce((s, r) => s + r.requests, 0) / runs.reduce((s, r) => s + r.seconds, 0);
    const p50 = (runs: LoadResult[]) => median(runs.map((r) => r.latencyMs.p50));
    const applied = (runs: { applied: number }[]) => median(runs.map((r) => r.applied));
    const httpRatio = rps(http.on) / rps(http.off);
    const ackRatio = rps(hook.on.map((h) => h.load)) / rps(hook.off.map((h) => h.load));
    const appliedRatio = applied(hook.on) / applied(hook.off);
    printResult(
      {
        name: "tracing",
        sampling: ratio,
        http_ratio: httpRatio,
        webhook_ack_ratio: ackRatio,
        webhook_applied_ratio: appliedRatio,
      },
      [
        `connections: ${connections}, rounds: ${rounds}, ${durationMs / 1000}s per target per round, sampling ${ratio}`,
        `auth.me      off: ${Math.round(rps(http.off))} req/s p50 ${p50(http.off).toFixed(2)} ms | on: ${Math.round(rps(http.on))} req/s p50 ${p50(http.on).toFixed(2)} ms | ratio ${httpRatio.toFixed(3)}`,
        `webhook ack  off: ${Math.round(rps(hook.off.map((h) => h.load)))} /s | on: ${Math.round(rps(hook.on.map((h) => h.load)))} /s | ratio ${ackRatio.toFixed(3)}`,
        `applied      off: ${Math.round(applied(hook.off))} /s | on: ${Math.round(applied(hook.on))} /s | ratio ${appliedRatio.toFixed(3)}`,
        `exported: ${exports} OTLP requests, ${Math.round(exportedBytes / 1024)} KB`,
      ],
    );
  } finally {
    for (const t of [off, on]) {
      await t.db.close();
      t.child.send("stop");
      await new Promise((r) => t.child.once("exit", r));
    }
    receiver.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}
