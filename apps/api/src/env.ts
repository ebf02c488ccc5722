import { commonEnv, duration, loadDotEnv, parseEnv } from "@elsehu/core";
import { z } from "zod";
import { parseTrustProxy } from "./http/trust-proxy";

const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

export const apiEnvSchema = commonEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  CORS_ORIGINS: list.default([]),
  ADMIN_EMAIL: z.string().email().default("admin@elsehu.local"),
  ADMIN_PASSWORD: z.string().min(8, "must have at least 8 characters").optional(),
  METRICS_TOKEN: z.string().min(8).optional(),
  BODY_LIMIT_KB: z.coerce.number().int().min(1).default(1024),
  UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120000),
  /** Requests to file routes (media, exports, uploads) per user and per address per minute, on top of the above. */
  FILE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /** Public API (`/api/v1`) requests per token per minute, across all API processes. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** A CSV download whose client takes nothing for this long is ended and its database connection freed. */
  EXPORT_STALL_TIMEOUT: duration.default(60),
  /** WebSockets one user may hold open across the API processes; the next is closed with TOO_MANY_SOCKETS. */
  WS_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
  /** Live subscriptions one user may hold on one API process; the next is refused with TOO_MANY_SUBSCRIPTIONS. */
  WS_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(100),
  /** WebSockets one API process holds in all (any user, signed in or not); the next is closed with 1013 SERVER_BUSY. */
  WS_MAX_SOCKETS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Live subscriptions one API process holds in all; the next is refused with SERVER_BUSY. */
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000_000).default(50_000),
  /** Unsent bytes a socket may hold; a client that stops reading past it is dropped. */
  WS_MAX_BUFFERED_KB: z.coerce.number().int().min(16).max(1_048_576).default(1024),
  PRESENCE_GRACE: duration.default(15),
  /** How often each API process writes its presence heartbeat (its sockets count while it beats). */
  PRESENCE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEB_DIST: z.string().optional(),
  /** Proxies trusted to name the client in X-Forwarded-For: a hop count or a CIDR list; empty trusts none. */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((v, ctx) => {
      try {
        return parseTrustProxy(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** On SIGTERM, how long WebSocket clients get to move to another API process before being cut (ms). */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
});
export type ApiEnv = z.infer<typeof apiEnvSchema>;

export const loadApiEnv = (source: NodeJS.ProcessEnv = process.env): ApiEnv => parseEnv(apiEnvSchema, source);

/** Entry points call this first: `.env` (working directory) fills what the real environment does not set. */
export const loadDotEnvFile = (file = ".env"): string[] => loadDotEnv(process.env, file);
