/**
 * `pnpm bench import [--size N]`: generates an N-row messy CSV (default 1,000,000,
 * ~2% bad rows), uploads it through the real HTTP route, imports it with a real
 * worker process, then COPYs the same normalised rows into the same (emptied)
 * table as the baseline. Prints rows/s, the worker's peak RSS and the ratio.
 */
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { AppRouter } from "@elsehu/api";
import { startApi } from "@elsehu/api";
import { createCoreContext, createUser } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { createTRPCClient, httpLink } from "@trpc/client";
import pino from "pino";
import { benchDatabase, messyCsv, sizeArg } from "./lib/contacts-fixtures";
import { backendCpu, cpuSeconds } from "./lib/cpu";

const rows = sizeArg(1_000_000);
const log = pino({ level: "warn" });
const db = await benchDatabase();
const work = mkdtempSync(join(tmpdir(), "elsehu-bench-import-"));
const config = {
  sessionIdleTimeoutSeconds: 3600,
  encryptionKey: Buffer.alloc(32, 7),
  storagePath: join(work, "storage"),
  conversationTtlSeconds: 86400,
  defaultRegion: "BR",
  timezone: "America/Sao_Paulo",
};
const database = connect(db.url, { max: 4 });
const core = createCoreContext(database, log, config);
const api = await startApi({ databaseUrl: db.url, port: 0, log, config, uploadLimitMb: 4096 });
const worker = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
  env: {
    ...process.env,
    DATABASE_URL: db.url,
    STORAGE_PATH: config.storagePath,
    DATA_DIR: work,
    APP_ENCRYPTION_KEY: config.encryptionKey.toString("hex"),
    WORKER_POLL_MS: "200",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "inherit", "inherit"],
});
const peakRssMb = () => {
  const status = readFileSync(`/proc/${worker.pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

try {
  const file = join(work, "contatos.csv");
  console.error(`gerando ${rows} linhas...`);
  await pipeline(Readable.from(messyCsv(rows)), createWriteStream(file));
  const mb = statSync(file).size / 1024 / 1024;

  await createUser(core, null, { name: "Bench", email: "bench@x.local", password: "bench password", role: "ADMIN" });
  const anon = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${api.url}/trpc` })] });
  const { token } = await anon.auth.login.mutate({ email: "bench@x.local", password: "bench password" });
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${api.url}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });

  const up0 = performance.now();
  const res = await fetch(`${api.url}/uploads/contacts-csv?name=contatos.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const { importId } = (await res.json()) as { importId: string };
  const uploadS = (performance.now() - up0) / 1000;

  const dbCpu = backendCpu(database.sql);
  await dbCpu.start();
  const workerCpu0 = cpuSeconds(worker.pid ?? 0);
  const t0 = performance.now();
  await client.contacts.import.mutate({ importId });
  let status = await client.contacts.importStatus.query({ id: importId });
  while (status.status === "RUNNING" || status.status === "PENDING") {
    await new Promise((r) => setTimeout(r, 100));
    status = await client.contacts.importStatus.query({ id: importId });
  }
  const importS = (performance.now() - t0) / 1000;
  const workerCpuS = cpuSeconds(worker.pid ?? 0) - workerCpu0;
  const dbCpuS = await dbCpu.stop();
  const peak = peakRssMb();
  if (status.status !== "COMPLETED") throw new Error(`import ${status.status}: ${status.error}`);
  console.error(
    `arquivo ${mb.toFixed(1)} MB, upload ${uploadS.toFixed(1)} s, importação ${importS.toFixed(1)} s:`,
    `${status.imported} novos, ${status.updated} atualizados, ${status.invalid} inválidos de ${status.rowsRead}`,
  );
  // Where the time goes: CPU per row of the worker and of the database backends (local server only).
  const usPerRow = (cpu: number) => ((cpu * 1e6) / Math.max(1, status.rowsRead)).toFixed(1);
  console.error(`CPU por linha: worker ${usPerRow(workerCpuS)} µs, Postgres ${usPerRow(dbCpuS)} µs`);

  // Baseline: the same normalised rows, COPYed into the same table with its indexes.
  const dump = join(work, "normalised.copy");
  const cols = "phone, phone_key, name, email, tags, custom_fields, search_text";
  // Each COPY runs on a connection of its own that is closed right after: a postgres.js connection
  // that streamed a COPY sometimes never answers its next query (seen with 1M rows).
  const copyOutDb = connect(db.url, { max: 1 });
  const out = createWriteStream(dump);
  const copyOut = await copyOutDb.sql`copy (select ${copyOutDb.sql.unsafe(cols)} from contacts) to stdout`.readable();
  for await (const chunk of copyOut)
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((r) => out.end(() => r()));
  await copyOutDb.sql.end({ timeout: 1 });
  const copied = Number((await database.sql`select count(*)::int as n from contacts`)[0]?.n ?? 0);
  await database.sql`truncate contacts cascade`;
  await database.sql`vacuum analyze contacts`;
  const copyInDb = connect(db.url, { max: 1 });
  const [{ pid: copyPid } = { pid: 0 }] = await copyInDb.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
  const copyCpu0 = cpuSeconds(copyPid);
  const c0 = performance.now();
  await pipeline(
    createReadStream(dump),
    await copyInDb.sql`copy contacts (${copyInDb.sql.unsafe(cols)}) from stdin`.writable(),
  );
  // Counted on another connection: the clock stops once the rows are really there.
  const landed = Number((await database.sql`select count(*)::int as n from contacts`)[0]?.n ?? 0);
  if (landed !== copied) throw new Error(`baseline COPY wrote ${landed} of ${copied} rows`);
  const copyS = (performance.now() - c0) / 1000;
  console.error(
    `COPY: Postgres ${(((cpuSeconds(copyPid) - copyCpu0) * 1e6) / Math.max(1, copied)).toFixed(1)} µs por linha`,
  );
  await copyInDb.sql.end({ timeout: 1 });

  const rowsPerS = status.rowsRead / importS;
  const copyRowsPerS = copied / copyS;
  console.log(
    JSON.stringify({
      name: "import",
      rows: status.rowsRead,
      rows_per_s: Math.round(rowsPerS),
      peak_rss_mb: Math.round(peak),
      copy_rows_per_s: Math.round(copyRowsPerS),
      ratio: Number((rowsPerS / copyRowsPerS).toFixed(3)),
    }),
  );
} finally {
  worker.kill("SIGTERM");
  await new Promise((r) => worker.once("exit", r));
  await api.close();
  await database.close();
  await db.close();
  rmSync(work, { recursive: true, force: true });
}
