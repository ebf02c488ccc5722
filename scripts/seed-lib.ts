import { type CoreConfig, createCoreContext, seedAdmin } from "@elsehu/core";
import { connect } from "@elsehu/db";
import type { Logger } from "pino";

/** Idempotent seed: the first admin. Later modules add their defaults here. */
export async function seed(url: string, log: Logger, config: CoreConfig, admin: { email: string; password?: string }) {
  const database = connect(url, { max: 2, applicationName: "elsehu-seed" });
  try {
    const core = createCoreContext(database, log, config);
    return await seedAdmin(core, admin);
  } finally {
    await database.close();
  }
}
