/**
 * `pnpm bench assignment [--size N] [--departments D]`: assignment throughput with D departments vs the global queue.
 *
 * N conversations (default 20,000) arrive as fast as possible through the real path
 * (findOrOpenConversation, which queues the assignment job) while N/20 operators (default 1,000) are
 * online; a real graphile-worker assigns them. Three phases, same run, same worker:
 *   1. global: the burst with no department (today's single queue) — the baseline;
 *   2. departments: the same burst spread over D departments (default 20), each operator a member
 *      of 1–3 of them (one capacity across all);
 *   3. steady: arrivals at 50/s into the departments for min(N/4, 1,500) conversations, latency
 *      arrival → assigned (`p99_ms_at_50`).
 * Prints assignments/s of both bursts, their ratio (departments / global), latencies and the
 * invariant check (everyone assigned exactly once, nobody over capacity, every department's
 * conversation with one of its members). Conversations of a phase are closed before the next; an
 * unmeasured warm-up burst (N/10, at most 500) runs first.
 */
import { createCoreContext, findOrOpenConversation, uuidArray } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { startWorker } from "@elsehu/worker";
import pino from "pino";
import { parseArgs } from "./lib/args";
import { benchConfig, benchDatabase, percentile } from "./lib/bench-db";

const args = parseArgs();
const size = args.number("size", 20_000);
const departmentCount = Math.floor(args.number("departments", 20));
const steadyCount = Math.max(50, Math.min(Math.floor(size / 4), 1500));
const operators = Math.max(10, Math.round(size / 20));
// Room for the whole burst twice over, so a department's members are never all full.
const capacity = Math.ceil((size * 2) / operators);
const log = pino({ level: "silent" });
const config = benchConfig();

const db = await benchDatabase();
const database = connect(db.url, { max: 20 });
const core = createCoreContext(database, log, config);
const sql = database.sql;

const [inst] = await sql<{ id: string }[]>`
  insert into service_instances (name, provider, secrets) values ('bench', 'META', 'x') returning id`;
const instanceId = inst?.id ?? "";
async function makeContacts(prefix: string, n: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into contacts (name, phone, phone_key, search_text)
    select 'c' || g, ${prefix} || g, ${prefix} || g, 'c' || g from generate_series(1, ${n}) g returning id`;
  return rows.map((r) => r.id);
}

/** Opens one conversation per contact, `parallel` at a time, or paced at `perSecond`; returns their ids. */
async function arrive(
  contactIds: string[],
  departmentOf: (i: number) => string | null,
  opts: { parallel?: number; perSecond?: number } = {},
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: opts.parallel ?? 16 }, async () => {
      for (;;) {
        const i = next++;
        const contactId = contactIds[i];
        if (!contactId) return;
        if (opts.perSecond) {
          const due = t0 + (i * 1000) / opts.perSecond;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const { conversation } = await core.db.transaction((tx) =>
          findOrOpenConversation(tx, { contactId, instanceId, now: new Date(), departmentId: departmentOf(i) }),
        );
        ids.push(conversation.id);
      }
    }),
  );
  return ids;
}

/** Waits until none of `ids` is WAITING (or nothing moved for 30 s); then their latencies and throughput. */
async function settle(ids: string[], t0: number) {
  let last = -1;
  let still = Date.now();
  for (;;) {
    const [r] = await sql<{ n: number }[]>`
      select count(*)::int as n from conversations where id = any(${uuidArray(ids)}::uuid[]) and status = 'WAITING'`;
    const n = r?.n ?? 0;
    if (n === 0) break;
    if (n !== last) [last, still] = [n, Date.now()];
    if (Date.now() - still > 30_000) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const rows = await sql<{ q: number; a: number }[]>`
    select (extract(epoch from queued_at) * 1000)::float8 as q, (extract(epoch from first_assigned_at) * 1000)::float8 as a
    from conversations where id = any(${uuidArray(ids)}::uuid[]) and status = 'OPEN'`;
  const lat = rows.map((r) => r.a - r.q).sort((x, y) => x - y);
  const lastAssigned = rows.reduce((m, r) => Math.max(m, r.a), 0);
  return {
    assigned: rows.length,
    perS: rows.length / ((lastAssigned - t0) / 1000),
    p50: Math.round(percentile(lat, 50)),
    p99: Math.round(percentile(lat, 99)),
  };
}

const closeAll = () =>
  sql`update conversations set status = 'CLOSED', closed_at = now() where status in ('WAITING', 'OPEN')`;

// Operators online on a live node; departments and their members (1–3 each) exist from the start.
await sql`insert into api_nodes (id, heartbeat_at) values ('bench-node', now() + interval '1 hour')`;
await sql`
  insert into users (name, email, password_hash, role, max_concurrent, presence)
  select 'op' || g, 'op' || g || '@bench.local', 'none', 'OPERATOR', ${capacity}, 'ONLINE'
  from generate_series(1, ${operators}) g`;
await sql`insert into presence_connections (id, user_id, node_id) select gen_random_uuid()::text, id, 'bench-node' from users`;
const departments = (
  await sql<{ id: string }[]>`
    insert into departments (name) select 'Departamento ' || g from generate_series(1, ${departmentCount}) g returning id`
).map((d) => d.id);
await sql`
  insert into department_members (department_id, user_id, role)
  select distinct d.id, u.id, 'OPERATOR'
  from (select id, row_number() over (order by id) as i from users) u
  cross join generate_series(0, 2) k
  join (select id, row_number() over (order by id) - 1 as j from departments) d
    on d.j = (u.i + k * 7) % ${departmentCount}
  where k <= u.i % 3`;
const [members] = await sql<{ lo: number; hi: number }[]>`
  select min(n)::int as lo, max(n)::int as hi from (select count(*) as n from department_members group by user_id) t`;

const worker = await startWorker({
  databaseUrl: db.url,
  log,
  config,
  concurrency: 4,
  pollIntervalMs: 1000,
  cron: false,
});

// Warm-up, not measured: the first burst of a process pays for JIT and cold caches, whichever phase it is.
const warmIds = await arrive(await makeContacts("+5541", Math.min(500, Math.ceil(size / 10))), (i) =>
  i % 2 === 0 ? null : (departments[i % departments.length] ?? null),
);
await settle(warmIds, Date.now());
await closeAll();

// 1. The global queue (baseline).
const globalContacts = await makeContacts("+5511", size);
const g0 = Date.now();
const globalIds = await arrive(globalContacts, () => null);
const global = await settle(globalIds, g0);
await closeAll();

// 2. The same burst over the departments.
const deptContacts = await makeContacts("+5521", size);
const d0 = Date.now();
const deptIds = await arrive(deptContacts, (i) => departments[i % departments.length] ?? null);
const dept = await settle(deptIds, d0);
const [notMember] = await sql<{ n: number }[]>`
  select count(*)::int as n from conversations c where c.id = any(${uuidArray(deptIds)}::uuid[])
    and c.operator_id is not null and not exists (select 1 from department_members m
      where m.department_id = c.department_id and m.user_id = c.operator_id)`;
const [overDept] = await sql<{ n: number }[]>`
  select count(*)::int as n from users u
  where (select count(*) from conversations c where c.operator_id = u.id and c.status = 'OPEN') > u.max_concurrent`;
await closeAll();

// 3. Steady arrivals at 50/s into the departments.
const steadyContacts = await makeContacts("+5531", steadyCount);
const s0 = Date.now();
const steadyIds = await arrive(steadyContacts, (i) => departments[(i * 7) % departments.length] ?? null, {
  parallel: 8,
  perSecond: 50,
});
const steady = await settle(steadyIds, s0);

const [twice] = await sql<{ n: number }[]>`
  select count(*)::int as n from (select payload->>'conversationId' from events where kind = 'conversation.assigned'
  group by 1 having count(*) > 1) t`;
const invariantsOk =
  global.assigned === size &&
  dept.assigned === size &&
  steady.assigned === steadyCount &&
  notMember?.n === 0 &&
  overDept?.n === 0 &&
  twice?.n === 0;

await worker.stop();
await database.close();
await db.drop();
console.log(
  `operadores=${operators} (em ${members?.lo}–${members?.hi} departamentos) departamentos=${departmentCount} ` +
    `conversas=${size} capacidade=${capacity}; fila global ${global.perS.toFixed(0)}/s p99 ${global.p99} ms; ` +
    `departamentos ${dept.perS.toFixed(0)}/s p99 ${dept.p99} ms; 50/s: p99 ${steady.p99} ms`,
);
console.log(
  JSON.stringify({
    name: "assignment",
    size,
    departments: departmentCount,
    assignments_per_s: Math.round(dept.perS),
    p50_ms: dept.p50,
    p99_ms: dept.p99,
    global_per_s: Math.round(global.perS),
    global_p99_ms: global.p99,
    p99_ms_at_50: steady.p99,
    invariants_ok: invariantsOk,
    ratio: Number((dept.perS / global.perS).toFixed(2)),
  }),
);
process.exit(0);
