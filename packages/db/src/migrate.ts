import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations } from "graphile-worker";
import { connect, type Sql } from "./client";

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");

/** Applies the app's drizzle migrations, then graphile-worker's own schema. Idempotent. */
export async function migrate(url: string): Promise<void> {
  const { db, sql, close } = connect(url, { max: 1, applicationName: "elsehu-migrate" });
  try {
    // Serialise concurrent migrators (several processes starting at once).
    await sql`select pg_advisory_lock(727001)`;
    await drizzleMigrate(db, { migrationsFolder });
    await runMigrations({ connectionString: url });
    await sql`select pg_advisory_unlock(727001)`;
  } finally {
    await close();
  }
}

/** True when every committed migration has been applied (for /readyz). */
export async function migrationsCurrent(sql: Sql): Promise<boolean> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  try {
    const rows = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    return (rows[0]?.n ?? 0) >= journal.entries.length;
  } catch {
    return false;
  }
}
