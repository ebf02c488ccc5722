import { join, resolve } from "node:path";
import { startEmbeddedPostgres } from "@elsehu/db";
import type { CommonEnv } from "./env-schema";

/**
 * The database URL to use: DATABASE_URL when set, otherwise an embedded
 * Postgres whose data lives under DATA_DIR/pg and survives restarts.
 */
export async function resolveDatabase(
  env: CommonEnv,
): Promise<{ url: string; dir?: string; stop?: () => Promise<void> }> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const dir = join(resolve(env.DATA_DIR), "pg");
  const pg = await startEmbeddedPostgres({
    dir,
    port: env.EMBEDDED_PG_PORT,
    persistent: true,
  });
  return { url: pg.url, dir, stop: pg.stop };
}
