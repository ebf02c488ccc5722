import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
/** A drizzle handle or a transaction opened from it: core verbs accept either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Sql = postgres.Sql;

export type Database = { db: Db; sql: Sql; close: () => Promise<void> };

export type ConnectOptions = {
  max?: number;
  applicationName?: string;
  /**
   * Postgres cancels a statement running longer than this (`statement_timeout`) and ends a session left idle
   * inside a transaction this long (`idle_in_transaction_session_timeout`); 0 or absent: no limit. Reports and
   * exports raise the first for their own transaction (`set local`).
   */
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /** Wraps the client once before drizzle is built on it (core's `traceSql` while tracing is on). */
  wrap?: (sql: Sql) => Sql;
};

/**
 * Seconds before a connection that failed retries, with jitter. postgres.js's default
 * (3^n / 100 s, up to 20 s) counts failures across the whole pool and resets only on a
 * successful connect: one restart of Postgres took every pool to 10–20 s waits, so queries
 * kept waiting that long after the database was back.
 */
export function reconnectBackoff(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 1) * (0.5 + Math.random() / 2);
}

/** Opens a postgres.js pool wrapped by drizzle. Timestamps are always UTC. */
export function connect(url: string, opts: ConnectOptions = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    backoff: reconnectBackoff,
    onnotice: () => {},
    connection: {
      application_name: opts.applicationName ?? "elsehu",
      TimeZone: "UTC",
      // Startup parameters: set on every connection of the pool, before its first query.
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
      ...(opts.idleInTransactionTimeoutMs
        ? { idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs }
        : {}),
    },
  });
  const wrapped = opts.wrap ? opts.wrap(sql) : sql;
  const db = drizzle(wrapped, { schema });
  return { db, sql: wrapped, close: () => sql.end({ timeout: 5 }) };
}
