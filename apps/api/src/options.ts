import { resolve } from "node:path";
import { ConfigError, type CoreConfig, dbTimeoutsFromEnv } from "@elsehu/core";
import type { Logger } from "pino";
import type { ApiEnv } from "./env";
import type { StartApiOptions } from "./server";

/**
 * `/metrics` tells anyone who reads it the traffic, the procedures and the
 * errors of the API: in production it is served only behind METRICS_TOKEN.
 */
export function requireMetricsToken(env: ApiEnv): string | undefined {
  if (env.NODE_ENV === "production" && !env.METRICS_TOKEN) {
    throw new ConfigError("METRICS_TOKEN", "is required in production (at least 8 characters; /metrics asks for it)");
  }
  return env.METRICS_TOKEN;
}

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
    metricsToken: requireMetricsToken(env),
    exportStallMs: env.EXPORT_STALL_TIMEOUT * 1000,
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
    dbTimeouts: dbTimeoutsFromEnv(env),
    wsLimits: {
      socketsPerUser: env.WS_MAX_SOCKETS_PER_USER,
      subscriptionsPerUser: env.WS_MAX_SUBSCRIPTIONS_PER_USER,
      maxBufferedBytes: env.WS_MAX_BUFFERED_KB * 1024,
      socketsPerProcess: env.WS_MAX_SOCKETS,
      subscriptionsPerProcess: env.WS_MAX_SUBSCRIPTIONS,
    },
    presence: { graceSeconds: env.PRESENCE_GRACE, heartbeatMs: env.PRESENCE_HEARTBEAT_MS },
    drainMs: env.SHUTDOWN_DRAIN_MS,
  };
}
