import type { Database } from "@elsehu/db";
import type { Logger } from "pino";
import { createAuth } from "../auth/lucia";
import type { CoreConfig, CoreContext } from "./context";

export function createCoreContext(
  database: Database,
  log: Logger,
  config: CoreConfig,
  opts: { now?: () => Date; secureCookie?: boolean } = {},
): CoreContext {
  return {
    db: database.db,
    sql: database.sql,
    log,
    now: opts.now ?? (() => new Date()),
    config,
    auth: createAuth(database.db, {
      idleSeconds: config.sessionIdleTimeoutSeconds,
      secureCookie: opts.secureCookie ?? false,
    }),
  };
}
