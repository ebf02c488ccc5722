/**
 * `pnpm bench webhooks [--size N]` (or `tsx bench/webhooks.ts`): signed Meta inbound
 * text webhooks posted to a real API at increasing rates, with a real worker behind it.
 *
 * - per rate step: webhooks/s acknowledged, ack p50/p99, and end-to-end time from the
 *   POST to `message.created` arriving on an operator's WebSocket (tRPC subscription);
 * - saturation: N webhooks from 32 concurrent senders, against the API and against a
 *   bare Hono route that inserts one row per request (the baseline), same client.
 * Last line: {"name":"webhooks","acked_per_s",…,"ratio"}.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApi } from "@elsehu/api";
import { type CoreConfig, createInstance, createUser, type StoredEvent, textArray } from "@elsehu/core";
import { connect, startEmbeddedPostgres } from "@elsehu/db";
import { cloneDatabase, createTemplateDatabase, dropDatabase } from "@elsehu/db/testing";
import { signMetaBody } from "@elsehu/providers";
import { metaWebhookEnvelope } from "@elsehu/providers/simulator";
import { serve } from "@hono/node-server";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { tracked } from "@trpc/server";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { Hono } from "hono";
import pino from "pino";
import WebSocket, { WebSocketServer } from "ws";
import { z } from "zod";
import { streamEvents } from "../apps/api/src/realtime/hub";
import { createContext } from "../apps/api/src/trpc/context";
import { router, userProcedure } from "../apps/api/src/trpc/init";
import { backendCpu, cpuSeconds } from "./lib/cpu";

const args = process.argv.slice(2);
const sizeArg = args.indexOf("--size");
const SIZE = sizeArg >= 0 ? Number(args[sizeArg + 1]) : 6000;
const RATES = [50, 100, 200, 400];
const STEP_SECONDS = 5;
const CONCURRENCY = 32;
const SENDERS = 200;
const PNID = "109876543210987";
const SECRET = "bench-app-secret";
const log = pino({ level: "silent" });

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    // A request that never answers counts as a failure instead of stalling the run.
    req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    req.end(body);
  });
}

function webhookBody(n: number, wamid: string): string {
  const from = `55119${String(80000000 + (n % SENDERS)).padStart(8, "0")}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  return JSON.stringify(
    metaWebhookEnvelope(
      {
        contacts: [{ profile: { name: `Cliente ${n % SENDERS}` }, wa_id: from }],
        messages: [{ from, id: wamid, timestamp, type: "text", text: { body: `mensagem ${n}` } }],
      },
      { phoneNumberId: PNID },
    ),
  );
}

type Shot = { wamid: string; start: number; ack: number; status: number };

/** Open loop at `rate`/s for `seconds`, or closed loop (`rate` 0) over `count` requests. */
async function load(
  url: URL,
  opts: { rate: number; seconds: number; count: number; sign: boolean },
): Promise<{ shots: Shot[]; wallMs: number }> {
  const shots: Shot[] = [];
  let n = 0;
  const fire = async () => {
    const i = n++;
    const wamid = `wamid.BENCH${randomUUID().replace(/-/g, "")}`;
    const body = webhookBody(i, wamid);
    const headers: Record<string, string> = opts.sign ? { "x-hub-signature-256": signMetaBody(body, SECRET) } : {};
    const start = performance.now();
    const status = await post(url, body, headers).catch(() => 0);
    shots.push({ wamid, start, ack: performance.now() - start, status });
  };
  const began = performance.now();
  if (opts.rate > 0) {
    const total = opts.rate * opts.seconds;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = began + (i * 1000) / opts.rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(fire());
    }
    await Promise.all(pending);
  } else {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (n < opts.count) await fire();
      }),
    );
  }
  return { shots, wallMs: performance.now() - began };
}

/** A tRPC subscription served over a real WebSocket: message events an operator may see. */
const benchRouter = router({
  onMessage: userProcedure
    .input(z.object({ lastEventId: z.string().nullish() }).optional())
    .subscription(async function* ({ ctx, signal }) {
      for await (const e of streamEvents(ctx.hub, ctx.core, ctx.user, {
        signal,
        filter: (ev: StoredEvent) => ev.kind === "message.created",
      })) {
        yield tracked(String(e.id), e.payload);
      }
    }),
});

async function main() {
  let serverUrl = process.env.DATABASE_URL;
  let stopPg: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!serverUrl) {
    dir = mkdtempSync(join(tmpdir(), "elsehu-bench-pg-"));
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), persistent: false });
    serverUrl = pg.url;
    stopPg = pg.stop;
  }
  const template = await createTemplateDatabase(serverUrl);
  const clone = await cloneDatabase(template);
  const config: CoreConfig = {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: Buffer.alloc(32, 9),
    storagePath: mkdtempSync(join(tmpdir(), "elsehu-bench-files-")),
    conversationTtlSeconds: 86400,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
    allowPrivateProviderUrls: true,
  };
  const api = await startApi({
    databaseUrl: clone.url,
    port: 0,
    log,
    config,
    rateLimits: { userPerMinute: 1e6, ipPerMinute: 1e6, webhookPerMinute: 1e7 },
  });
  // The worker runs in its own process, as in production, so acknowledgements and
  // processing do not share one event loop.
  // Node flags for it (e.g. --cpu-prof) come from BENCH_NODE_OPTIONS, as for this process (bench/run.ts).
  const workerFlags = (process.env.BENCH_NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean);
  const worker = spawn(process.execPath, [...workerFlags, "--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: join(import.meta.dirname, ".."),
    stdio: "ignore",
    env: {
      ...process.env,
      DATABASE_URL: clone.url,
      APP_ENCRYPTION_KEY: config.encryptionKey.toString("hex"),
      STORAGE_PATH: config.storagePath,
      LOG_LEVEL: "silent",
      WORKER_POLL_MS: "500",
    },
  });
  const core = api.deps.core;
  const admin = await createUser(core, null, {
    name: "Admin",
    email: "admin@bench.local",
    password: "bench-password",
    role: "ADMIN",
  });
  const operator = await createUser(core, null, {
    name: "Operadora",
    email: "op@bench.local",
    password: "bench-password",
    role: "OPERATOR",
    maxConcurrent: 100,
  });
  const actor = { id: admin.id, role: "ADMIN" as const, name: admin.name };
  const instance = await createInstance(core, actor, {
    provider: "META",
    name: "Bench",
    config: { phoneNumberId: PNID },
    secrets: { accessToken: "bench-access-token", appSecret: SECRET, verifyToken: "bench-verify-token" },
  });

  // Every sender already has a conversation assigned to the operator, so each
  // message.created goes to her socket.
  await core.sql`
    with c as (
      insert into contacts (phone, phone_key)
      select '+55119' || lpad((80000000 + g)::text, 8, '0'), '55119' || lpad((80000000 + g)::text, 8, '0')
      from generate_series(0, ${SENDERS - 1}) g returning id)
    insert into conversations (contact_id, instance_id, status, operator_id, assigned_at)
    select id, ${instance.id}, 'OPEN', ${operator.id}, now() from c`;
  await core.sql`
    insert into contact_identities (contact_id, provider, kind, external_id)
    select id, 'META', 'wa_id', phone_key from contacts`;

  // The operator's WebSocket.
  const session = await core.auth.createSession(operator.id, {});
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss.once("listening", r));
  const handler = applyWSSHandler({
    wss,
    router: benchRouter,
    createContext: ({ info }) =>
      createContext(api.deps, {
        token: typeof info.connectionParams?.token === "string" ? info.connectionParams.token : undefined,
        via: "ws",
        ip: "127.0.0.1",
      }),
  });
  const wsPort = (wss.address() as AddressInfo).port;
  const wsClient = createWSClient({
    url: `ws://127.0.0.1:${wsPort}`,
    connectionParams: () => ({ token: session.token }),
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const client = createTRPCClient<typeof benchRouter>({ links: [wsLink({ client: wsClient })] });
  const arrivals = new Map<string, number>();
  const sub = client.onMessage.subscribe(undefined, {
    onData: (d) => {
      const messageId = (d.data as { messageId?: string }).messageId;
      if (messageId) arrivals.set(messageId, performance.now());
    },
  });
  await new Promise((r) => setTimeout(r, 300));

  // The worker compiles and starts on its own: measure only once it beats.
  for (let waited = 0; ; waited += 100) {
    const [beat] = await core.sql<{ n: number }[]>`select count(*)::int as n from worker_heartbeats`;
    if ((beat?.n ?? 0) > 0) break;
    if (waited > 60_000) throw new Error("the worker did not start within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  const apiUrl = new URL(`${api.url}/webhooks/meta`);
  const drain = async () => {
    for (;;) {
      const [row] = await core.sql<
        { n: number }[]
      >`select count(*)::int as n from webhook_events where processed_at is null`;
      if ((row?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  let e2eAt200 = Number.NaN;
  console.log("rate/s  acked/s  ack_p50_ms  ack_p99_ms  e2e_p50_ms  e2e_p99_ms  errors");
  for (const rate of RATES) {
    const { shots, wallMs } = await load(apiUrl, { rate, seconds: STEP_SECONDS, count: 0, sign: true });
    await drain();
    await new Promise((r) => setTimeout(r, 300));
    const ids = await core.sql<{ id: string; provider_message_id: string }[]>`
      select id, provider_message_id from messages where provider_message_id = any(${textArray(shots.map((s) => s.wamid))}::text[])`;
    const byWamid = new Map(ids.map((r) => [r.provider_message_id, r.id]));
    const e2e = shots.flatMap((s) => {
      const at = arrivals.get(byWamid.get(s.wamid) ?? "");
      return at === undefined ? [] : [at - s.start];
    });
    const ok = shots.filter((s) => s.status === 200);
    const acks = ok.map((s) => s.ack);
    if (rate === 200) e2eAt200 = pct(e2e, 99);
    console.log(
      [
        rate,
        r1((ok.length / wallMs) * 1000),
        r1(pct(acks, 50)),
        r1(pct(acks, 99)),
        r1(pct(e2e, 50)),
        r1(pct(e2e, 99)),
        `${shots.length - ok.length} failed, ${shots.length - e2e.length} without event`,
      ].join("  "),
    );
  }

  // Saturation: the API (worker processing in the background, as in production)…
  const pgCpu = backendCpu(core.sql);
  await pgCpu.start();
  const cpu0 = { self: process.cpuUsage(), worker: cpuSeconds(worker.pid ?? 0) };
  const sat = await load(apiUrl, { rate: 0, seconds: 0, count: SIZE, sign: true });
  const satOk = sat.shots.filter((s) => s.status === 200);
  const ackedPerS = (satOk.length / sat.wallMs) * 1000;
  const satAcks = satOk.map((s) => s.ack);
  console.log(
    `saturation: ${satOk.length}/${sat.shots.length} acked in ${r1(sat.wallMs)} ms -> ${r1(ackedPerS)}/s, p50 ${r1(pct(satAcks, 50))} ms, p99 ${r1(pct(satAcks, 99))} ms`,
  );
  await drain();
  const usPer = (seconds: number) => ((seconds * 1e6) / SIZE).toFixed(0);
  const selfCpu = process.cpuUsage(cpu0.self);
  console.error(
    `CPU per webhook (through drain): API+client ${usPer((selfCpu.user + selfCpu.system) / 1e6)} µs, worker ${usPer(
      cpuSeconds(worker.pid ?? 0) - cpu0.worker,
    )} µs, Postgres ${Object.entries(await pgCpu.stopByApp())
      .filter(([, cpu]) => cpu > 0)
      .map(([app, cpu]) => `${app} ${usPer(cpu)}`)
      .join(", ")} µs`,
  );

  // …and the baseline: a bare Hono route inserting one row per request, same pool size.
  const base = connect(clone.url, { max: 10, applicationName: "bench-baseline" });
  await base.sql`create table bench_rows (id bigserial primary key, body text not null, received_at timestamptz not null default now())`;
  const app = new Hono();
  app.post("/hook", async (c) => {
    const body = await c.req.text();
    await base.sql`insert into bench_rows (body) values (${body})`;
    return c.json({ ok: true });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const baseUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  const baseCpu = backendCpu(base.sql);
  await baseCpu.start();
  const blSelf0 = process.cpuUsage();
  const bl = await load(baseUrl, { rate: 0, seconds: 0, count: SIZE, sign: false });
  const blSelf = process.cpuUsage(blSelf0);
  console.error(
    `baseline CPU per request: Hono+client ${usPer((blSelf.user + blSelf.system) / 1e6)} µs, Postgres ${usPer(
      await baseCpu.stop(),
    )} µs`,
  );
  const baselinePerS = (bl.shots.filter((s) => s.status === 200).length / bl.wallMs) * 1000;
  console.log(
    `baseline: ${r1(baselinePerS)}/s, p50 ${r1(
      pct(
        bl.shots.map((s) => s.ack),
        50,
      ),
    )} ms, p99 ${r1(
      pct(
        bl.shots.map((s) => s.ack),
        99,
      ),
    )} ms`,
  );

  sub.unsubscribe();
  await wsClient.close();
  handler.broadcastReconnectNotification();
  wss.close();
  await new Promise<void>((r) => server.close(() => r()));
  await base.close();
  await new Promise((r) => {
    worker.once("exit", r);
    worker.kill("SIGTERM");
  });
  await api.close();
  agent.destroy();
  await clone.drop();
  await dropDatabase(template).catch(() => {});
  await stopPg?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
  rmSync(config.storagePath, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      name: "webhooks",
      acked_per_s: r1(ackedPerS),
      ack_p50_ms: r1(pct(satAcks, 50)),
      ack_p99_ms: r1(pct(satAcks, 99)),
      e2e_p99_ms_at_200: r1(e2eAt200),
      baseline_per_s: r1(baselinePerS),
      ratio: Math.round((ackedPerS / baselinePerS) * 100) / 100,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
