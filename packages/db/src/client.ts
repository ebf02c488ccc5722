import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
/** A drizzle handle or a transaction opened from it: core verbs accept either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Sql = postgres.Sql;

export type Database = { db: Db; sql: Sql; close: () => Promise<void> };

export type ConnectOptions = { max?: number; applicationName?: string };

/** Opens a postgres.js pool wrapped by drizzle. Timestamps are always UTC. */
export function connect(url: string, opts: ConnectOptions = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? "elsehu", TimeZone: "UTC" },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}
