import type { Logger } from "pino";
import { isDatabaseUnavailable } from "./pg";

/**
 * A lost database connection can surface as a rejection nobody awaits inside a
 * library (graphile-worker records some job outcomes that way). Such a rejection
 * is logged and the process keeps running — its pools reconnect by themselves;
 * any other unhandled rejection still ends the process, as Node would.
 */
export function survivesDatabaseOutages(log: Logger): void {
  process.on("unhandledRejection", (err) => {
    if (isDatabaseUnavailable(err)) {
      log.error({ err: { message: (err as Error).message, code: (err as { code?: unknown }).code } }, "database lost");
      return;
    }
    log.fatal({ err }, "unhandled rejection");
    process.exit(1);
  });
}
