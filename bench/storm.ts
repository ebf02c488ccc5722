/**
 * `pnpm bench storm [--size N] [--window S] [--lanes L]`: a campaign's replies as a burst through the menu routing and assignment.
 *
 * Of N recipients (default 20,000), 30 % reply within S seconds (default 60), as signed Meta webhooks
 * from the provider simulator to a real API, with a real worker behind it in its own process, as deployed
 * (`--lanes`: its webhook inbox lanes). Each reply opens a
 * conversation in the number's menu (10 departments, sent back as a list through the simulator); the
 * customer answers with an option's number as soon as the menu reaches him, and the conversation is
 * assigned among 300 operators online, each a member of 1–3 departments.
 * Baseline, same run, same operators: the same number of replies through plain ingestion (the number
 * routes to the global queue: webhook → conversation → assigned).
 * Measures reply webhook → assigned (p50, p99), drain time (first reply → last assignment) and
 * replies assigned per second of both; ratio = storm / baseline. Invariants: every reply assigned
 * exactly once, in the department the customer chose, to one of its members, nobody over capacity.
 * Last line: {"name":"storm","replies",…,"ratio"}.
 */
import { startApi } from "@elsehu/api";
import { createInstance, createUser, setInstanceRouting } from "@elsehu/core";
import { startSimulator } from "@elsehu/providers/simulator";
import { DEFAULT_WEBHOOK_LANES } from "@elsehu/worker";
import { parseArgs } from "./lib/args";
import { percentile } from "./lib/bench-db";
import { benchConfig, benchLog, unthrottled } from "./lib/core";
import { benchDatabase } from "./lib/database";
import { startWorkerProcess } from "./lib/worker-process";

const args = parseArgs();
const recipients = args.number("size", 20_000);
const windowSeconds = args.number("window", 60);
const replies = Math.max(10, Math.round(recipients * 0.3));
const OPERATORS = 300;
const DEPARTMENTS = 10;
const capacity = Math.ceil((replies * 2) / OPERATORS);
const PNID = "109876543210987";
const SECRET = "bench-app-secret";
const config = benchConfig();

const database = await benchDatabase();
const sim = await startSimulator({ meta: { appSecret: SECRET, phoneNumberId: PNID }, statusDelayMs: 50 });
const api = await startApi({ databaseUrl: database.url, port: 0, log: benchLog, config, rateLimits: unthrottled });
const worker = await startWorkerProcess({
  databaseUrl: database.url,
  config,
  concurrency: args.number("concurrency", 8),
  webhookLanes: args.number("lanes", DEFAULT_WEBHOOK_LANES),
});
const core = api.deps.core;
const sql = core.sql;
const adminUser = await createUser(core, null, {
  name: "Bench",
  email: "bench@elsehu.local",
  password: "bench password 123",
  role: "ADMIN",
});
const admin = { id: adminUser.id, role: "ADMIN" as const, name: adminUser.name };

const instance = await createInstance(core, admin, {
  provider: "META",
  name: "Campanha",
  config: { phoneNumberId: PNID, wabaId: "102938475610293", baseUrl: sim.url },
  secrets: { accessToken: "bench-token", appSecret: SECRET, verifyToken: "bench-verify" },
});
sim.setWebhookTarget("META", { url: `${api.url}/webhooks/meta`, appSecret: SECRET });

// 300 operators online on a live node, each in 1–3 of the 10 departments.
await sql`insert into api_nodes (id, heartbeat_at) values ('bench-node', now() + interval '1 hour')`;
await sql`
  insert into users (name, email, password_hash, role, max_concurrent, presence)
  select 'op' || g, 'op' || g || '@bench.local', 'none', 'OPERATOR', ${capacity}, 'ONLINE'
  from generate_series(1, ${OPERATORS}) g`;
await sql`insert into presence_connections (id, user_id, node_id)
  select gen_random_uuid()::text, id, 'bench-node' from users where role = 'OPERATOR'`;
const departments = (
  await sql<{ id: string; name: string }[]>`
    insert into departments (name) select 'Setor ' || g from generate_series(1, ${DEPARTMENTS}) g
    returning id, name`
).sort((a, b) => Number(a.name.slice(6)) - Number(b.name.slice(6)));
await sql`
  insert into department_members (department_id, user_id, role)
  select distinct d.id, u.id, 'OPERATOR'
  from (select id, row_number() over (order by id) as i from users where role = 'OPERATOR') u
  cross join generate_series(0, 2) k
  join (select id, row_number() over (order by id) - 1 as j from departments) d on d.j = (u.i + k * 3) % ${DEPARTMENTS}
  where k <= u.i % 3`;

const digits = (phone: string) => phone.replace(/\D/g, "");
const phoneOf = (prefix: string, i: number) => `+55${prefix}9${String(70000000 + i).padStart(8, "0")}`;

/** Posts `replies` customer replies through the simulator, evenly over the window; returns each phone's send time. */
async function burst(prefix: string): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= replies) return;
        const wait = t0 + (i * windowSeconds * 1000) / replies - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const phone = phoneOf(prefix, i);
        sentAt.set(digits(phone), Date.now());
        const status = await sim.injectInbound("META", { from: phone, body: "Quero saber mais", name: `Cliente ${i}` });
        if (status !== 200) throw new Error(`webhook answered ${status}`);
      }
    }),
  );
  return sentAt;
}

/** Answers each menu the simulator receives with an option's number (customer i picks department i % 10). */
function answerMenus(prefix: string): { stop: () => void; chosen: Map<string, number> } {
  const chosen = new Map<string, number>();
  let seen = sim.sentMessages().length;
  let running = true;
  const loop = async () => {
    while (running) {
      const sent = sim.sentMessages();
      const fresh = sent.slice(seen);
      seen = sent.length;
      await Promise.all(
        fresh
          .filter((m) => m.type === "interactive" && digits(m.to).startsWith(`55${prefix}`))
          .map(async (m) => {
            const phone = digits(m.to);
            if (chosen.has(phone)) return;
            const option = Number(phone.slice(-8)) % DEPARTMENTS;
            chosen.set(phone, option);
            await sim.injectInbound("META", { from: `+${phone}`, body: String(option + 1) });
          }),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = loop();
  return {
    chosen,
    stop: () => {
      running = false;
      void done;
    },
  };
}

/**
 * Waits until every reply's conversation is assigned, or nothing moved for 30 s (no assignment and no
 * webhook applied: the inbox is worked oldest first, so answers wait behind the burst's first messages);
 * latencies from the reply.
 */
async function drain(prefix: string, sentAt: Map<string, number>, t0: number) {
  let last = "";
  let still = Date.now();
  const like = `+55${prefix}%`;
  for (;;) {
    const [r] = await sql<{ n: number; applied: number }[]>`
      select (select count(*)::int from conversations c join contacts ct on ct.id = c.contact_id
          where ct.phone like ${like} and c.status = 'OPEN') as n,
        (select count(*)::int from webhook_events where processed_at is not null) as applied`;
    const n = r?.n ?? 0;
    if (n >= replies) break;
    const progress = `${n} ${r?.applied}`;
    if (progress !== last) [last, still] = [progress, Date.now()];
    if (Date.now() - still > 30_000) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const rows = await sql<{ phone: string; a: number; department_id: string | null; operator_id: string }[]>`
    select ct.phone, (extract(epoch from c.first_assigned_at) * 1000)::float8 as a, c.department_id, c.operator_id
    from conversations c join contacts ct on ct.id = c.contact_id
    where ct.phone like ${like} and c.status = 'OPEN'`;
  const lat = rows.map((r) => r.a - (sentAt.get(digits(r.phone)) ?? r.a)).sort((x, y) => x - y);
  const lastAssigned = rows.reduce((m, r) => Math.max(m, r.a), 0);
  const drainS = (lastAssigned - t0) / 1000;
  return {
    rows,
    assigned: rows.length,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    drainS,
    perS: rows.length / drainS,
  };
}

// Baseline: plain ingestion into the global queue.
await setInstanceRouting(core, admin, { instanceId: instance.id, routing: { mode: "GLOBAL" } });
const b0 = Date.now();
const baseline = await drain("21", await burst("21"), b0);
await sql`update conversations set status = 'CLOSED', closed_at = now() where status in ('WAITING', 'OPEN')`;

// The storm: the same replies through the menu.
await setInstanceRouting(core, admin, {
  instanceId: instance.id,
  routing: {
    mode: "MENU",
    greeting: "Olá! Com qual setor você quer falar?",
    options: departments.map((d) => ({ title: d.name, departmentId: d.id })),
    fallbackDepartmentId: departments[0]?.id ?? "",
    timeoutMinutes: 60,
  },
});
const answers = answerMenus("31");
const s0 = Date.now();
const stormSent = await burst("31");
const storm = await drain("31", stormSent, s0);
const steps = await stages("31", stormSent);
answers.stop();

/** Where a storm reply's time goes: p50/p99 from the reply to each step (ms). */
async function stages(prefix: string, sentAt: Map<string, number>) {
  const rows = await sql<
    { phone: string; opened: number; menu: number; answered: number; routed: number; assigned: number }[]
  >`
    with routed as (select payload->>'conversationId' as id, min(created_at) as at from events
      where kind = 'conversation.routed' group by 1)
    select ct.phone, extract(epoch from c.created_at) * 1000 as opened,
      (select extract(epoch from m.sent_at) * 1000 from messages m where m.conversation_id = c.id and m.direction = 'OUT'
        order by m.created_at limit 1) as menu,
      (select extract(epoch from m.created_at) * 1000 from messages m where m.conversation_id = c.id and m.direction = 'IN'
        order by m.created_at offset 1 limit 1) as answered,
      extract(epoch from r.at) * 1000 as routed, extract(epoch from c.first_assigned_at) * 1000 as assigned
    from conversations c join contacts ct on ct.id = c.contact_id left join routed r on r.id = c.id::text
    where ct.phone like ${`+55${prefix}%`} and c.status = 'OPEN'`;
  const at = (q: number, f: (r: (typeof rows)[number]) => number) =>
    Math.round(
      percentile(
        rows.map((r) => f(r) - (sentAt.get(digits(r.phone)) ?? 0)).sort((a, b) => a - b),
        q,
      ),
    );
  const both = (f: (r: (typeof rows)[number]) => number) => `${at(50, f)}/${at(99, f)}`;
  return `aberta ${both((r) => r.opened)} ms, menu enviado ${both((r) => r.menu)}, respondido ${both((r) => r.answered)}, roteada ${both((r) => r.routed)}, atribuída ${both((r) => r.assigned)}`;
}

const [over] = await sql<{ n: number }[]>`select count(*)::int as n from users u
  where (select count(*) from conversations c where c.operator_id = u.id and c.status = 'OPEN') > u.max_concurrent`;
const [twice] = await sql<{ n: number }[]>`select count(*)::int as n from (select payload->>'conversationId'
  from events where kind = 'conversation.assigned' group by 1 having count(*) > 1) t`;
const members = new Set(
  (await sql<{ k: string }[]>`select department_id || ':' || user_id as k from department_members`).map((r) => r.k),
);
const wrong = storm.rows.filter((r) => {
  const want = departments[answers.chosen.get(digits(r.phone)) ?? -1]?.id;
  return r.department_id !== want || !members.has(`${r.department_id}:${r.operator_id}`);
}).length;
const invariantsOk =
  storm.assigned === replies && baseline.assigned === replies && over?.n === 0 && twice?.n === 0 && wrong === 0;

answers.stop();
await worker.stop();
await api.close();
await sim.close();
await database.close();
const r1 = (x: number) => Math.round(x * 10) / 10;
console.log(
  `destinatários=${recipients} respostas=${replies} em ${windowSeconds}s operadores=${OPERATORS} departamentos=${DEPARTMENTS}; ` +
    `linha de base (fila global): ${r1(baseline.perS)}/s p99 ${Math.round(baseline.p99)} ms, escoou em ${r1(baseline.drainS)} s; ` +
    `menu: ${r1(storm.perS)}/s p99 ${Math.round(storm.p99)} ms, escoou em ${r1(storm.drainS)} s; ` +
    `desde a resposta (p50/p99): ${steps}`,
);
console.log(
  JSON.stringify({
    name: "storm",
    replies,
    assigned: storm.assigned,
    p50_ms: Math.round(storm.p50),
    p99_ms: Math.round(storm.p99),
    drain_s: r1(storm.drainS),
    invariants_ok: invariantsOk,
    baseline_per_s: r1(baseline.perS),
    ratio: Number((storm.perS / baseline.perS).toFixed(2)),
  }),
);
process.exit(0);
