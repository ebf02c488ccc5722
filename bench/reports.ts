/**
 * pnpm bench reports [--size N]   (or: npx tsx bench/reports.ts --size N)
 *
 * Generates N conversations (default 1,000,000) and 5·N messages over 200
 * operators and 90 days, then times, through the real API over HTTP:
 * reports.summary, reports.byOperator and reports.byTabulation over the last
 * 30 days (median of 5 after a warm-up; the best run is logged too), the best
 * hand-written single SQL statement for the same summary (the baseline), and a full CSV export of the
 * 90 days (rows/s and the API process's peak RSS). Last line: one JSON object.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { connect, migrate, startEmbeddedPostgres } from "@elsehu/db";
import { createTemplateDatabase, dropDatabase } from "@elsehu/db/testing";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg("size") ?? 1_000_000);
const OPERATORS = 200;
const DAYS = 90;
const TZ = "America/Sao_Paulo";
const END_DAY = "2025-06-30"; // data covers the 90 local days before this one
const RUNS = 5;
const log = (msg: string) => process.stderr.write(`[reports] ${msg}\n`);

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r1 = (x: number) => Math.round(x * 10) / 10;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function generate(sql: ReturnType<typeof connect>["sql"]) {
  const contacts = Math.max(1000, Math.min(200_000, Math.floor(N / 5)));
  const t0 = performance.now();
  await sql.unsafe("set synchronous_commit = off");
  await sql.unsafe(`select setseed(0.42)`);
  await sql`insert into users (id, name, email, password_hash, role)
    select md5('op' || g)::uuid, 'Operador ' || g, 'op' || g || '@bench.local', 'x', 'OPERATOR'
    from generate_series(0, ${OPERATORS - 1}) g`;
  await sql`insert into tabulations (id, name) select md5('tb' || g)::uuid, 'Tabulação ' || g from generate_series(0, 19) g`;
  await sql`insert into service_instances (id, name, provider, secrets)
    select md5('in' || g)::uuid, 'Canal ' || g, 'META', 'x' from generate_series(0, 4) g`;
  await sql`insert into contacts (id, phone, phone_key, name, search_text)
    select md5('ct' || g)::uuid, '+55119' || lpad(g::text, 8, '0'), '+55119' || lpad(g::text, 8, '0'),
      'Contato ' || g, 'contato ' || g || ' 55119' || lpad(g::text, 8, '0')
    from generate_series(0, ${contacts - 1}) g`;
  // Rows are inserted in creation order, as in production; the last 2% are still active.
  const start = `${addDays(END_DAY, -DAYS)}T03:00:00Z`;
  const chunk = 250_000;
  for (let lo = 1; lo <= N; lo += chunk) {
    const hi = Math.min(N, lo + chunk - 1);
    await sql`insert into conversations (id, contact_id, instance_id, status, operator_id, tabulation_id,
        created_at, queued_at, first_assigned_at, assigned_at, first_response_at, last_message_at, closed_at)
      select md5('cv' || i)::uuid, md5('ct' || (i % ${contacts}))::uuid, md5('in' || (i % 5))::uuid, st::conversation_status,
        case when assigned then md5('op' || (i % ${OPERATORS}))::uuid end,
        case when st = 'CLOSED' and rt < 0.9 then md5('tb' || (i % 20))::uuid end,
        created, created, assigned_at, assigned_at,
        case when assigned and rr > 0.05 then assigned_at + rr * interval '180 seconds' end,
        created, case when st = 'CLOSED' then assigned_at + (60 + rh * 2400) * interval '1 second'
                      when st = 'EXPIRED' then created + interval '24 hours' + rh * interval '1 hour' end
      from (select i, created, st, rt, rr, rh,
              st <> 'WAITING' and not (st = 'EXPIRED' and rx < 0.5) as assigned,
              created + (5 + rw * rw * 600) * interval '1 second' as assigned_at
            from (select i, ${start}::timestamptz + (i - 1)::float8 / ${N} * ${DAYS} * interval '1 day' as created,
                    case when i > ${N} * 0.98 then (case when i % 3 = 0 then 'WAITING' else 'OPEN' end)
                         when random() < 0.08 then 'EXPIRED' else 'CLOSED' end as st,
                    random() as rt, random() as rr, random() as rh, random() as rx, random() as rw
                  from generate_series(${lo}::int, ${hi}::int) i) a) b`;
    log(`conversations ${hi}/${N}`);
  }
  for (let k = 1; k <= 5; k++) {
    await sql`insert into messages (conversation_id, instance_id, direction, type, body, status, author_id, created_at)
      select c.id, c.instance_id, ${k % 2 === 1 ? "IN" : "OUT"}::message_direction, 'text', 'Mensagem ' || ${k}, 'READ',
        ${k % 2 === 1 ? sql`null` : sql`c.operator_id`}, c.created_at + ${k * 30} * interval '1 second'
      from conversations c`;
    log(`messages ${k * N}/${5 * N}`);
  }
  await sql.unsafe("vacuum analyze users, contacts, tabulations, service_instances, conversations, messages");
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** The best hand-written SQL for the summary: one statement, one scan of the period, bounds precomputed. */
async function baseline(sql: ReturnType<typeof connect>["sql"], from: string, to: string) {
  const lo = new Date(`${from}T03:00:00Z`);
  const hi = new Date(Date.parse(`${addDays(to, 1)}T03:00:00Z`));
  const agg = [
    ["w", "wait_s"],
    ["h", "handle_s"],
    ["r", "first_response_s"],
    ["d", "duration_s"],
  ]
    .map(([a, c]) => `avg(${c}) ${a}_avg, percentile_cont(array[0.5, 0.9]) within group (order by ${c}) ${a}_pct`)
    .join(", ");
  const t = performance.now();
  // Same session settings as the reports get (see reportTx), so the ratio compares the SQL only.
  await sql.unsafe("begin; set local work_mem = '128MB'; set local jit = off");
  await sql.unsafe(
    `with f as materialized (select status, closed_at, wait_s, handle_s, first_response_s, duration_s
       from conversations where status in ('CLOSED', 'EXPIRED') and closed_at >= $1 and closed_at < $2)
     select (select json_agg(s) from (select status, count(*), ${agg} from f group by status) s) totals,
       (select json_agg(d) from (select date_trunc('day', closed_at at time zone '${TZ}') as day,
           count(*) filter (where status = 'CLOSED') closed, count(*) filter (where status = 'EXPIRED') expired,
           avg(wait_s) filter (where status = 'CLOSED') w, avg(handle_s) filter (where status = 'CLOSED') h,
           avg(first_response_s) filter (where status = 'CLOSED') r from f group by 1) d) series,
       (select json_agg(o) from (select status, count(*) from conversations
           where status in ('WAITING', 'OPEN') group by 1) o) open_now`,
    [lo.toISOString(), hi.toISOString()],
  );
  await sql.unsafe("commit");
  return performance.now() - t;
}

function startChildApi(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "lib", "reports-api.ts")], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`api child exited with ${code}`)));
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once("line", (line) => resolve({ child, url: (JSON.parse(line) as { url: string }).url }));
  });
}

/** VmRSS / VmHWM (peak) of a Linux process, in MB. */
function rssOf(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return m?.[1] ? Number(m[1]) / 1024 : 0;
}

async function main() {
  let serverUrl = process.env.DATABASE_URL;
  let stopPg: (() => Promise<void>) | undefined;
  const dir = mkdtempSync(join(tmpdir(), "elsehu-bench-"));
  if (!serverUrl) {
    const pg = await startEmbeddedPostgres({ dir, port: await freePort(), persistent: false });
    serverUrl = pg.url;
    stopPg = pg.stop;
  }
  // --db URL: reuse a database (generated on first use, kept afterwards) to iterate on queries.
  const reuse = arg("db");
  const dbUrl = reuse ?? (await createTemplateDatabase(serverUrl));
  const database = connect(dbUrl, { max: 1 });
  let child: ChildProcess | undefined;
  try {
    log(`generating ${N} conversations, ${5 * N} messages, ${OPERATORS} operators, ${DAYS} days`);
    const [existing] = await database.sql`select count(*)::int as n from conversations`;
    if (!reuse || existing?.n === 0) await generate(database.sql);
    else {
      // A kept database may predate the latest migrations (a rewrite also clears the visibility map).
      await migrate(dbUrl);
      await database.sql.unsafe("vacuum analyze conversations");
    }
    const api = await startChildApi(dbUrl);
    child = api.child;
    const { createCoreContext, createUser } = await import("@elsehu/core");
    const pino = (await import("pino")).default;
    const core = createCoreContext(database, pino({ level: "silent" }), {
      sessionIdleTimeoutSeconds: 3600,
      encryptionKey: Buffer.alloc(32, 7),
      storagePath: "/tmp",
      conversationTtlSeconds: 86_400,
      defaultRegion: "BR",
      timezone: TZ,
    });
    const creds = { email: "supervisor@bench.local", password: "bench supervisor password" };
    await database.sql`delete from users where email = ${creds.email}`;
    await createUser(core, null, { ...creds, name: "Supervisor", role: "SUPERVISOR" });
    const login = await fetch(`${api.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(creds),
    });
    const token = ((await login.json()) as { result: { data: { token: string } } }).result.data.token;
    const auth = { authorization: `Bearer ${token}` };

    const period = { from: addDays(END_DAY, -30), to: addDays(END_DAY, -1) };
    const time = async (path: string) => {
      const url = `${api.url}/trpc/reports.${path}?input=${encodeURIComponent(JSON.stringify(period))}`;
      const runs: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const t = performance.now();
        const res = await fetch(url, { headers: auth });
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
        await res.json();
        if (i > 0) runs.push(performance.now() - t);
      }
      log(`${path}: best ${r1(Math.min(...runs))} ms, median ${r1(median(runs))} ms`);
      return median(runs);
    };
    const summaryMs = await time("summary");
    const byOperatorMs = await time("byOperator");
    const byTabulationMs = await time("byTabulation");
    await baseline(database.sql, period.from, period.to);
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) base.push(await baseline(database.sql, period.from, period.to));
    const baselineMs = median(base);
    log(
      `baseline: best ${r1(Math.min(...base))} ms, median ${r1(baselineMs)} ms; load ${readFileSync("/proc/loadavg", "utf8").trim()}`,
    );
    log(`summary ${r1(summaryMs)} ms, byOperator ${r1(byOperatorMs)} ms, byTabulation ${r1(byTabulationMs)} ms`);
    log(`hand-written SQL summary ${r1(baselineMs)} ms`);

    // Full export of the 90 days, consumed as a browser would, sampling the API's RSS meanwhile.
    const pid = child.pid ?? 0;
    const rssBefore = rssOf(pid, "VmRSS");
    let peakSampled = rssBefore;
    log(`API RSS before export ${r1(rssBefore)} MB (peak so far ${r1(rssOf(pid, "VmHWM"))} MB)`);
    const sampler = setInterval(() => {
      peakSampled = Math.max(peakSampled, rssOf(pid, "VmRSS"));
    }, 50);
    const t = performance.now();
    const res = await fetch(
      `${api.url}/reports/finished.csv?from=${addDays(END_DAY, -DAYS)}&to=${addDays(END_DAY, -1)}&excel=1`,
      {
        headers: auth,
      },
    );
    let lines = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      for (const b of chunk.value) if (b === 10) lines++;
    }
    const exportS = (performance.now() - t) / 1000;
    clearInterval(sampler);
    const rows = lines - 1;
    const peak = peakSampled;
    log(`API VmHWM (lifetime peak) ${r1(rssOf(pid, "VmHWM"))} MB`);
    log(`export ${rows} rows in ${exportS.toFixed(1)} s, API peak RSS ${r1(peak)} MB`);
    const out = {
      name: "reports",
      conversations: N,
      summary_ms: r1(summaryMs),
      by_operator_ms: r1(byOperatorMs),
      by_tabulation_ms: r1(byTabulationMs),
      sql_baseline_ms: r1(baselineMs),
      // Times: baseline over ours, so 1.0 means as fast as the hand-written SQL and above 1 faster.
      ratio: Math.round((baselineMs / summaryMs) * 100) / 100,
      export_rows_per_s: Math.round(rows / exportS),
      export_peak_rss_mb: r1(peak),
      // The API process's own size before the export: most of the peak (Node, tsx's loader thread, V8 heaps).
      api_rss_before_export_mb: r1(rssBefore),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    child?.kill("SIGTERM");
    await database.close();
    if (!reuse) await dropDatabase(dbUrl).catch(() => {});
    await stopPg?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
