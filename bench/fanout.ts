/**
 * `pnpm bench fanout [--size N]`: N operator sockets (default 2,000) subscribed to `events.onQueue` through tRPC on a real API; delivery p50/p99 vs a raw `ws` broadcast (ratio baseline_p99 / p99, target >= 0.3).
 *
 * Three kinds of process, so no side bills its work to another: this one runs
 * the API and the baseline's bare `ws` server; a child process holds each
 * set of N client sockets and measures delivery; another child raises the
 * events as the worker does (its own connection pool, insert + NOTIFY at
 * commit). The baseline broadcasts the same envelopes (what tRPC sends, byte
 * for byte in shape and size) to N sockets held by the same kind of child.
 *
 * Both socket sets stay open for the whole run; rounds alternate tRPC and
 * baseline so drift (other load, JIT) hits both, and the ratio is the median
 * of the rounds' ratios. p99 of one round is the tail of its slowest events,
 * so a round needs enough events for it to mean something.
 *
 * Flags: --size N (sockets), --events E per round (default 30), --rounds R (default 5),
 *        --gap MS between events (default 250),
 *        --client trpc|wire (default trpc: the @trpc/client library per socket, as the
 *        console runs it, though here one process runs 2,000 and bills their work to the
 *        latency; wire: tRPC's protocol spoken directly and parsed with JSON.parse, exactly
 *        like the baseline's clients, to compare the servers alone),
 *        --profile (writes fanout-api.cpuprofile: the API process during round 1's tRPC events).
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { startApi } from "@elsehu/api";
import { textArray, uuidArray } from "@elsehu/core";
import { WebSocketServer } from "ws";
import { parseArgs } from "./lib/args";
import { benchConfig, benchLog, unthrottled } from "./lib/core";
import { benchDatabase } from "./lib/database";
import type { ClientsInit } from "./lib/fanout-clients";
import { printResult, verdict } from "./lib/output";
import { percentile } from "./lib/stats";

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

type FromChild = { type: "ready" } | { type: "latencies"; latencies: number[]; cpuMs: number } | { type: "done" };

/** A child process of this same file in `role`, with a typed way to wait for its messages. */
function child(childRole: "clients" | "raiser", init: ClientsInit | { databaseUrl: string }) {
  const proc = fork(self, [], {
    env: { ...process.env, BENCH_FANOUT_ROLE: childRole },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting: Array<(m: FromChild) => void> = [];
  proc.on("message", (m) => waiting.shift()?.(m as FromChild));
  proc.send(init);
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return {
    next: <T extends FromChild["type"]>(type: T) =>
      new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${childRole} process exited (${code})`));
        proc.once("exit", onExit);
        waiting.push((m) => {
          proc.off("exit", onExit);
          if (m.type !== type) reject(new Error(`expected ${type} from ${childRole}, got ${m.type}`));
          else resolve(m as Extract<FromChild, { type: T }>);
        });
      }),
    send: (m: object) => proc.send(m),
    stop: async () => {
      proc.send({ type: "stop" });
      await exited;
    },
  };
}
type Child = ReturnType<typeof child>;

/** The latencies a client process recorded since its last report (it waits for `expected` of them, 30 s at most). */
async function collect(clients: Child, expected: number): Promise<{ latencies: number[]; cpuMs: number }> {
  clients.send({ type: "report", expected, timeoutMs: 30_000 });
  return clients.next("latencies");
}

/** --profile: a CPU profile of this (the API) process, written to the working directory. */
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

function median(xs: number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main() {
  const args = parseArgs();
  const sockets = args.number("size", 2000);
  const events = args.number("events", 30);
  const rounds = args.number("rounds", 5);
  const gapMs = args.number("gap", 250);
  const clientMode = args.string("client", "trpc") === "wire" ? "wire" : "trpc";
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
  const sql = api.deps.core.sql;
  const users = await sql<{ id: string }[]>`
    insert into users (name, email, password_hash, role)
    select 'op' || g, 'op' || g || '@bench.local', 'none', 'OPERATOR' from generate_series(1, ${sockets}) g
    returning id`;
  const tokens = users.map(() => randomBytes(20).toString("hex"));
  await sql`
    insert into sessions (id, user_id, expires_at)
    select unnest(${textArray(tokens)}::text[]), unnest(${uuidArray(users.map((u) => u.id))}::uuid[]), now() + interval '1 hour'`;

  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const ours = child("clients", { mode: clientMode, url: `${api.url.replace(/^http/, "ws")}/trpc`, tokens });
  const raw = child("clients", {
    mode: "raw",
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    count: sockets,
  });
  const raiser = child("raiser", { databaseUrl: db.url });
  await Promise.all([ours.next("ready"), raw.next("ready"), raiser.next("ready")]);
  // Each socket's presence row (and the ONLINE events of 2,000 operators) must be written before measuring.
  const settleBy = Date.now() + 60_000;
  while (Date.now() < settleBy) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from presence_connections`;
    if ((row?.n ?? 0) >= sockets) break;
    await sleep(250);
  }
  await sleep(1000);

  let baseSeq = 0;
  const tRPCPhase = async (count: number) => {
    raiser.send({ type: "raise", events: count, gapMs });
    await raiser.next("done");
    return collect(ours, sockets * count);
  };
  const basePhase = async (count: number) => {
    for (let i = 0; i < count; i++, baseSeq++) {
      const id = String(1_000_000 + baseSeq);
      const payload = { waiting: baseSeq, byDepartment: { seq: baseSeq, sentAt: Date.now() } };
      const data = { id: Number(id), kind: "queue.changed", payload, at: new Date().toISOString() };
      const msg = JSON.stringify({ id: 1, result: { type: "data", data: { id, data }, id } });
      for (const c of wss.clients) c.send(msg);
      await sleep(gapMs);
    }
    return collect(raw, sockets * count);
  };
  // Warm-up (JIT, pools), not counted.
  await tRPCPhase(5);
  await basePhase(5);

  // Per round: latencies (ms), deliveries, and CPU per event (ms) of each server and client process.
  type Round = { p50: number; p99: number; b50: number; b99: number; n: number; bn: number } & {
    cpu: number;
    bcpu: number;
    client: number;
    bclient: number;
  };
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const profiler = r === 0 && args.bool("profile") ? await startProfile() : null;
    const cpu0 = process.cpuUsage();
    const got = await tRPCPhase(events);
    const cpu = process.cpuUsage(cpu0);
    await profiler?.();
    const cpu1 = process.cpuUsage();
    const base = await basePhase(events);
    const bcpu = process.cpuUsage(cpu1);
    const s = [...got.latencies].sort((a, b) => a - b);
    const b = [...base.latencies].sort((a, b) => a - b);
    results.push({
      p50: percentile(s, 50),
      p99: percentile(s, 99),
      b50: percentile(b, 50),
      b99: percentile(b, 99),
      n: s.length,
      bn: b.length,
      cpu: (cpu.user + cpu.system) / 1000 / events,
      bcpu: (bcpu.user + bcpu.system) / 1000 / events,
      client: got.cpuMs / events,
      bclient: base.cpuMs / events,
    });
  }
  await Promise.all([ours.stop(), raw.stop(), raiser.stop()]);
  wss.close();
  await api.close();
  await db.close();

  const ratios = results.map((x) => Math.max(x.b99, 1) / Math.max(x.p99, 1));
  const ratio = median(ratios);
  const pick = (k: keyof (typeof results)[number]) => median(results.map((x) => x[k]));
  printResult(
    {
      name: "fanout",
      sockets,
      p50_ms: pick("p50"),
      p99_ms: pick("p99"),
      baseline_p50_ms: pick("b50"),
      baseline_p99_ms: pick("b99"),
      ratio,
    },
    [
      `${sockets} sockets, ${rounds} rounds of ${events} events ${gapMs} ms apart, client: ${clientMode}`,
      ...results.map(
        (x, i) =>
          `round ${i + 1}: tRPC p50 ${x.p50} p99 ${x.p99} ms (${x.n}/${expected})  raw ws p50 ${x.b50} p99 ${x.b99} ms (${x.bn}/${expected})  ratio ${ratios[i]?.toFixed(3)}`,
      ),
      `CPU per event (median): server: API ${pick("cpu").toFixed(1)} ms, raw ws ${pick("bcpu").toFixed(1)} ms;` +
        ` clients: ${clientMode} ${pick("client").toFixed(1)} ms, raw ws ${pick("bclient").toFixed(1)} ms`,
      `median: tRPC p50 ${pick("p50")} p99 ${pick("p99")} ms, raw ws p50 ${pick("b50")} p99 ${pick("b99")} ms`,
      `ratio (median of rounds): ${ratio.toFixed(3)}  ${verdict(ratio, TARGET)}`,
    ],
  );
  if (results.some((x) => x.n < expected)) process.exitCode = 1;
}
