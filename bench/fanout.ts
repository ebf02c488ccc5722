/**
 * `pnpm bench fanout [--size N]`: N operator sockets (default 2,000) subscribed to `events.onQueue` through tRPC on a real API; delivery p50/p99 vs a raw `ws` broadcast (ratio baseline_p99 / p99, target >= 0.3).
 *
 * Three kinds of process, so no side bills its work to another: this one runs
 * the API (and, for the baseline, a bare `ws` server); a child process holds
 * the N client sockets and measures delivery; another child raises the events
 * as the worker does (its own connection pool, insert + NOTIFY at commit).
 * The baseline broadcasts the same JSON envelopes to N sockets held by the
 * same kind of child process.
 *
 * Flags: --size N (sockets), --events E (default 20), --gap MS between events (default 250),
 *        --profile (writes fanout-api.cpuprofile: the API process during the tRPC event phase).
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { startApi } from "@elsehu/api";
import { WebSocketServer } from "ws";
import { parseArgs } from "./lib/args";
import { benchConfig, benchLog, unthrottled } from "./lib/core";
import { benchDatabase } from "./lib/database";
import { printResult, verdict } from "./lib/output";

const TARGET = 0.3;
const self = fileURLToPath(import.meta.url);
const role = process.env.BENCH_FANOUT_ROLE;

if (role === "clients") {
  await import("./lib/fanout-clients").then((m) => m.runClients());
} else if (role === "raiser") {
  await import("./lib/fanout-raiser").then((m) => m.runRaiser());
} else {
  await main();
}

type FromChild = { type: "ready" } | { type: "latencies"; latencies: number[] } | { type: "done" };

/** A child process of this same file in `role`, with a typed way to wait for its messages. */
function child(childRole: "clients" | "raiser", init: Record<string, unknown>) {
  const proc = fork(self, [], {
    env: { ...process.env, BENCH_FANOUT_ROLE: childRole },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting: Array<(m: FromChild) => void> = [];
  proc.on("message", (m) => waiting.shift()?.(m as FromChild));
  proc.send(init);
  return {
    next: (type: FromChild["type"]) =>
      new Promise<FromChild>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${childRole} process exited (${code})`));
        proc.once("exit", onExit);
        waiting.push((m) => {
          proc.off("exit", onExit);
          if (m.type !== type) reject(new Error(`expected ${type} from ${childRole}, got ${m.type}`));
          else resolve(m);
        });
      }),
    send: (m: unknown) => proc.send(m as object),
    exited: new Promise<void>((r) => proc.once("exit", () => r())),
  };
}

/** --profile: a CPU profile of the API process over the tRPC event phase only, written to the working directory. */
async function startProfile(): Promise<() => Promise<void>> {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync("fanout-api.cpuprofile", JSON.stringify(profile));
    session.disconnect();
  };
}

/** CPU time (user + system) this process spent since `start`, in ms: steadier than latency on a shared machine. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function collect(clients: ReturnType<typeof child>, expected: number): Promise<number[]> {
  clients.send({ type: "report", expected, timeoutMs: 30_000 });
  const m = await clients.next("latencies");
  clients.send({ type: "stop" });
  await clients.exited;
  return m.type === "latencies" ? m.latencies : [];
}

async function main() {
  const args = parseArgs();
  const sockets = args.number("size", 2000);
  const events = args.number("events", 20);
  const gapMs = args.number("gap", 250);
  const expected = sockets * events;

  const db = await benchDatabase();
  const api = await startApi({
    databaseUrl: db.url,
    port: 0,
    log: benchLog,
    config: benchConfig(),
    dbPoolMax: 20,
    rateLimits: unthrottled,
  });
  // Operators with sessions made directly (logging 2,000 users in would only measure argon2).
  const users = await api.deps.core.sql<{ id: string }[]>`
    insert into users (name, email, password_hash, role)
    select 'op' || g, 'op' || g || '@bench.local', 'none', 'OPERATOR' from generate_series(1, ${sockets}) g
    returning id`;
  const tokens = users.map(() => randomBytes(20).toString("hex"));
  await api.deps.core.sql`
    insert into sessions (id, user_id, expires_at)
    select unnest(${tokens}::text[]), unnest(${users.map((u) => u.id)}::uuid[]), now() + interval '1 hour'`;

  // tRPC: subscriptions on the API, events from a worker-like process.
  const trpcClients = child("clients", { mode: "trpc", url: `${api.url.replace(/^http/, "ws")}/trpc`, tokens });
  await trpcClients.next("ready");
  await new Promise((r) => setTimeout(r, 2000));
  const profiler = args.bool("profile") ? await startProfile() : null;
  const cpu0 = process.cpuUsage();
  const raiser = child("raiser", { databaseUrl: db.url, events, gapMs });
  await raiser.next("done");
  await raiser.exited;
  const trpcLat = await collect(trpcClients, expected);
  const trpcCpu = cpuMsSince(cpu0) / events;
  await profiler?.();
  await api.close();

  // Baseline: a bare ws server broadcasting the same JSON envelopes to as many sockets.
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const rawClients = child("clients", {
    mode: "raw",
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    count: sockets,
  });
  await rawClients.next("ready");
  await new Promise((r) => setTimeout(r, 2000));
  const cpu1 = process.cpuUsage();
  for (let seq = 0; seq < events; seq++) {
    const sentAt = Date.now();
    const data = {
      id: seq,
      kind: "queue.changed",
      payload: { waiting: seq, seq, sentAt },
      at: new Date().toISOString(),
    };
    const msg = JSON.stringify({ id: 1, result: { type: "data", id: String(seq), data } });
    for (const c of wss.clients) c.send(msg);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  const rawLat = await collect(rawClients, expected);
  const rawCpu = cpuMsSince(cpu1) / events;
  wss.close();
  await db.close();

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
  };
  const p50 = pct(trpcLat, 50);
  const p99 = pct(trpcLat, 99);
  const b50 = pct(rawLat, 50);
  const b99 = pct(rawLat, 99);
  const ratio = Math.max(b99, 1) / Math.max(p99, 1);
  printResult(
    { name: "fanout", sockets, p50_ms: p50, p99_ms: p99, baseline_p50_ms: b50, baseline_p99_ms: b99, ratio },
    [
      `entregas tRPC=${trpcLat.length}/${expected} entregas ws puro=${rawLat.length}/${expected}`,
      `tRPC (events.onQueue): p50 ${p50} ms  p99 ${p99} ms`,
      `ws puro:               p50 ${b50} ms  p99 ${b99} ms`,
      `server CPU per event: tRPC ${trpcCpu.toFixed(1)} ms, ws puro ${rawCpu.toFixed(1)} ms`,
      `ratio: ${ratio.toFixed(3)}  ${verdict(ratio, TARGET)}`,
    ],
  );
  if (trpcLat.length < expected) process.exitCode = 1;
}
