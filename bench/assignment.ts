/**
 * `pnpm bench assignment [--size N]`: N conversations (default 20,000) arrive as
 * fast as possible through the real path (findOrOpenConversation, which queues
 * the assignment job) while N/20 operators (default 1,000) are online; a real
 * graphile-worker assigns them. Prints assignments/s, assignment latency
 * (queued -> assigned) p50/p99 and the invariant check. Baseline, same run: the
 * arrival path alone (no operator online), to show what assignment adds.
 */
import { createCoreContext, findOrOpenConversation, listJobs, removeJobs } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { startWorker } from "@elsehu/worker";
import pino from "pino";
import { argSize, benchConfig, benchDatabase, percentile } from "./lib/bench-db";

const size = argSize(20_000);
const operators = Math.max(10, Math.round(size / 20));
const capacity = Math.ceil((size * 1.5) / operators);
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

/** Fires all arrivals with bounded parallelism; returns arrivals per second. */
async function arrive(contactIds: string[], parallel = 16): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (;;) {
        const i = next++;
        const contactId = contactIds[i];
        if (!contactId) return;
        await core.db.transaction((tx) => findOrOpenConversation(tx, { contactId, instanceId, now: new Date() }));
      }
    }),
  );
  return contactIds.length / ((performance.now() - t0) / 1000);
}

// Baseline: the arrival path alone, nobody online, no worker.
const baselineContacts = await makeContacts("+5500", Math.min(size, 5000));
const baselinePerS = await arrive(baselineContacts);
await sql`update conversations set status = 'CLOSED', closed_at = now()`;
await removeJobs(
  core,
  (await listJobs(core)).map((j) => j.id),
);

// Operators online on a live node.
await sql`insert into api_nodes (id, heartbeat_at) values ('bench-node', now() + interval '1 hour')`;
await sql`
  insert into users (name, email, password_hash, role, max_concurrent, presence)
  select 'op' || g, 'op' || g || '@bench.local', 'none', 'OPERATOR', ${capacity}, 'ONLINE'
  from generate_series(1, ${operators}) g`;
await sql`insert into presence_connections (id, user_id, node_id) select gen_random_uuid()::text, id, 'bench-node' from users`;
const contactIds = await makeContacts("+5511", size);

const worker = await startWorker({
  databaseUrl: db.url,
  log,
  config,
  concurrency: 4,
  pollIntervalMs: 1000,
  cron: false,
});
const t0 = Date.now();
await arrive(contactIds);
for (;;) {
  const [r] = await sql<{ n: number }[]>`select count(*)::int as n from conversations where status = 'WAITING'`;
  if ((r?.n ?? 1) === 0) break;
  await new Promise((res) => setTimeout(res, 50));
}
const rows = await sql<{ q: number; a: number }[]>`
  select (extract(epoch from queued_at) * 1000)::float8 as q, (extract(epoch from first_assigned_at) * 1000)::float8 as a
  from conversations where status = 'OPEN'`;
const lat = rows.map((r) => r.a - r.q).sort((x, y) => x - y);
const lastAssigned = rows.reduce((m, r) => Math.max(m, r.a), 0);
const perS = rows.length / ((lastAssigned - t0) / 1000);

const [over] = await sql<{ n: number }[]>`
  select count(*)::int as n from users u
  where (select count(*) from conversations c where c.operator_id = u.id and c.status = 'OPEN') > u.max_concurrent`;
const [twice] = await sql<{ n: number }[]>`
  select count(*)::int as n from (select payload->>'conversationId' from events where kind = 'conversation.assigned'
  group by 1 having count(*) > 1) t`;
const [spread] = await sql<{ lo: number; hi: number }[]>`
  select min(n)::int as lo, max(n)::int as hi from (select u.id, count(c.id) as n from users u
  left join conversations c on c.operator_id = u.id and c.status = 'OPEN' group by u.id) t`;
const invariantsOk =
  rows.length === size && over?.n === 0 && twice?.n === 0 && (spread?.hi ?? 0) - (spread?.lo ?? 0) <= 1;

await worker.stop();
await database.close();
await db.drop();
console.log(
  `operadores=${operators} conversas=${size} capacidade=${capacity} atribuídas=${rows.length} ` +
    `carga min/max=${spread?.lo}/${spread?.hi} linha de base (só chegadas)=${baselinePerS.toFixed(0)}/s`,
);
console.log(
  JSON.stringify({
    name: "assignment",
    assignments_per_s: Math.round(perS),
    p50_ms: percentile(lat, 50),
    p99_ms: percentile(lat, 99),
    invariants_ok: invariantsOk,
    baseline_arrivals_per_s: Math.round(baselinePerS),
    ratio: Number((perS / baselinePerS).toFixed(2)),
  }),
);
process.exit(0);
