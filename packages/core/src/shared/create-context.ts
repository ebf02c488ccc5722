import type { Database } from "@elsehu/db";
import type { Logger } from "pino";
import { createAuth, DEFAULT_SESSION_MAX_AGE_SECONDS } from "../auth/lucia";
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
      maxAgeSeconds: config.sessionMaxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS,
      secureCookie: opts.secureCookie ?? false,
    }),
  };
}
