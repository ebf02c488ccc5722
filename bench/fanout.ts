/**
 * `pnpm bench fanout [--size N]`: N operator sockets (default 2,000) subscribed
 * to `events.onQueue` through tRPC on a real API process; events are raised
 * from another connection pool (as the worker does: insert + NOTIFY at commit)
 * and the API fans them out. Prints delivery latency p50/p99 and, in the same
 * run, a raw `ws` broadcast of the same payloads to as many sockets, with the
 * ratio baseline_p99 / p99 (target >= 0.3).
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { AppRouter } from "@elsehu/api";
import { startApi } from "@elsehu/api";
import { createCoreContext, publishEvent } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import pino from "pino";
import { WebSocket, WebSocketServer } from "ws";
import { argSize, benchConfig, benchDatabase, percentile } from "./bench-db";

const sockets = argSize(2000);
const EVENTS = 20;
const GAP_MS = 250;
const log = pino({ level: "silent" });
const config = benchConfig();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const db = await benchDatabase();
const api = await startApi({
  databaseUrl: db.url,
  port: 0,
  log,
  config,
  dbPoolMax: 20,
  rateLimits: { userPerMinute: 1e6, ipPerMinute: 1e6, webhookPerMinute: 1e6 },
});
const workerSide = connect(db.url, { max: 2 });
const core = createCoreContext(workerSide, log, config);

// Operators with sessions made directly (logging 2,000 users in would only measure argon2).
const users = await workerSide.sql<{ id: string }[]>`
  insert into users (name, email, password_hash, role)
  select 'op' || g, 'op' || g || '@bench.local', 'none', 'OPERATOR' from generate_series(1, ${sockets}) g returning id`;
const tokens = users.map(() => randomBytes(20).toString("hex"));
await workerSide.sql`
  insert into sessions (id, user_id, expires_at)
  select unnest(${tokens}::text[]), unnest(${users.map((u) => u.id)}::uuid[]), now() + interval '1 hour'`;

type Payload = { seq: number; sentAt: number };
const trpcLat: number[] = [];
const clients: Array<{ close: () => Promise<void> }> = [];
for (let i = 0; i < sockets; i += 100) {
  await Promise.all(
    tokens.slice(i, i + 100).map(async (token) => {
      const ws = createWSClient({
        url: `${api.url.replace(/^http/, "ws")}/trpc`,
        connectionParams: () => ({ token }),
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      });
      clients.push(ws);
      const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
      client.events.onQueue.subscribe(
        {},
        {
          onData: (d) => {
            const p = d.data.payload as unknown as Payload;
            if (typeof p.sentAt === "number") trpcLat.push(Date.now() - p.sentAt);
          },
        },
      );
    }),
  );
}
while (api.deps.sockets.all().size < sockets) await sleep(100);
await sleep(3000);

for (let seq = 0; seq < EVENTS; seq++) {
  await core.db.transaction((tx) =>
    publishEvent(tx, {
      kind: "queue.changed",
      audience: { to: "ALL" },
      payload: { waiting: seq, seq, sentAt: Date.now() },
    }),
  );
  await sleep(GAP_MS);
}
const deadline = Date.now() + 30_000;
while (trpcLat.length < sockets * EVENTS && Date.now() < deadline) await sleep(100);
const trpcDelivered = trpcLat.length;
for (const c of clients) await c.close().catch(() => {});
await api.close();

// Baseline: a bare ws server broadcasting the same JSON envelopes to the same number of sockets.
const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
await new Promise<void>((r) => wss.once("listening", () => r()));
const port = (wss.address() as AddressInfo).port;
const rawLat: number[] = [];
const raw: WebSocket[] = [];
for (let i = 0; i < sockets; i += 100) {
  await Promise.all(
    Array.from({ length: Math.min(100, sockets - i) }, async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      raw.push(ws);
      ws.on("message", (m) => {
        const env = JSON.parse(String(m)) as { result: { data: { data: { payload: Payload } } } };
        rawLat.push(Date.now() - env.result.data.data.payload.sentAt);
      });
      await new Promise<void>((r) => ws.once("open", () => r()));
    }),
  );
}
for (let seq = 0; seq < EVENTS; seq++) {
  const sentAt = Date.now();
  const msg = JSON.stringify({
    id: 1,
    result: {
      type: "data",
      id: String(seq),
      data: { id: String(seq), data: { kind: "queue.changed", payload: { waiting: seq, seq, sentAt } } },
    },
  });
  for (const c of wss.clients) c.send(msg);
  await sleep(GAP_MS);
}
const rawDeadline = Date.now() + 30_000;
while (rawLat.length < sockets * EVENTS && Date.now() < rawDeadline) await sleep(100);
for (const ws of raw) ws.terminate();
wss.close();
await workerSide.close();
await db.drop();

trpcLat.sort((a, b) => a - b);
rawLat.sort((a, b) => a - b);
const p99 = percentile(trpcLat, 99);
const baselineP99 = percentile(rawLat, 99);
console.log(`entregas tRPC=${trpcDelivered}/${sockets * EVENTS} entregas ws puro=${rawLat.length}/${sockets * EVENTS}`);
console.log(
  JSON.stringify({
    name: "fanout",
    sockets,
    p50_ms: percentile(trpcLat, 50),
    p99_ms: p99,
    baseline_p50_ms: percentile(rawLat, 50),
    baseline_p99_ms: baselineP99,
    ratio: Number((Math.max(baselineP99, 1) / Math.max(p99, 1)).toFixed(2)),
  }),
);
process.exit(0);
