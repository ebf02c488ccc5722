import { resolve } from "node:path";
import type { CoreConfig } from "@elsehu/core";
import type { Logger } from "pino";
import type { ApiEnv } from "./env";
import type { StartApiOptions } from "./server";

/** startApi options from the environment: one mapping shared by main.ts and `pnpm start`. */
export function apiOptionsFromEnv(
  env: ApiEnv,
  deps: { databaseUrl: string; log: Logger; config: CoreConfig },
): StartApiOptions {
  return {
    ...deps,
    port: env.PORT,
    host: env.HOST,
    corsOrigins: env.CORS_ORIGINS,
    bodyLimitKb: env.BODY_LIMIT_KB,
    uploadLimitMb: env.UPLOAD_LIMIT_MB,
    metricsToken: env.METRICS_TOKEN,
    trustProxy: env.TRUST_PROXY,
    secureCookie: env.NODE_ENV === "production" && !env.DEV_INSECURE,
    rateLimits: {
      userPerMinute: env.RATE_LIMIT_PER_MINUTE,
      ipPerMinute: env.RATE_LIMIT_IP_PER_MINUTE,
      webhookPerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE,
      filesPerMinute: env.FILE_RATE_LIMIT_PER_MINUTE,
      apiPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    },
    webDist: env.WEB_DIST ?? resolve("apps/web/dist"),
    dbPoolMax: env.DB_POOL_MAX,
    presence: { graceSeconds: env.PRESENCE_GRACE, heartbeatMs: env.PRESENCE_HEARTBEAT_MS },
    drainMs: env.SHUTDOWN_DRAIN_MS,
  };
}
