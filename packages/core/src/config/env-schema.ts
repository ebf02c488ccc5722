import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";

/** "90", "90s", "30m", "8h", "1d" -> seconds. */
export const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)?$/, "expected a duration such as 900, 30m, 8h or 1d")
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.replace(/^\d+/, "") || "s";
    return n * { s: 1, m: 60, h: 3600, d: 86400 }[unit as "s" | "m" | "h" | "d"];
  });

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** Settings every process shares; each app's env.ts extends this and is the only reader of process.env. */
export const commonEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  STORAGE_PATH: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_IDLE_TIMEOUT: duration.default(8 * 3600),
  SESSION_MAX_AGE: duration.default(7 * 86400),
  SESSION_MAX_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
  CONVERSATION_TTL: duration.default(24 * 3600),
  APP_ENCRYPTION_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, "must be 32 bytes as 64 hex characters or base64")
    .optional(),
  DEFAULT_REGION: z.string().length(2).default("BR"),
  TIMEZONE: z.string().default("America/Sao_Paulo"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Postgres cancels an app statement running longer than this; reports and exports get REPORT_STATEMENT_TIMEOUT. */
  DB_STATEMENT_TIMEOUT: duration.default(30),
  /** A connection left idle inside a transaction this long is ended by Postgres (its locks freed). */
  DB_IDLE_IN_TRANSACTION_TIMEOUT: duration.default(60),
  REPORT_STATEMENT_TIMEOUT: duration.default(300),
  DEV_INSECURE: bool.default(false),
  /** Comma-separated opt-out keywords; empty keeps the defaults. */
  OPT_OUT_KEYWORDS: z.string().optional(),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  /** Public base URL of the API (https://atendimento.example.com): where providers must post webhooks. */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((v) => /^https?:$/.test(new URL(v).protocol), "must be an http(s) URL")
    .optional(),
  ALLOW_PRIVATE_PROVIDER_URLS: bool.default(false),
  MEDIA_FETCH_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  MEDIA_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(5000),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // OpenTelemetry tracing (telemetry/): the standard variables; no endpoint, no tracing.
  OTEL_SDK_DISABLED: bool.default(false),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Used as is (the base endpoint above gets `/v1/traces` appended). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).default("http/protobuf"),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
  /** `key=value,key2=value2` sent with every export (a collector's API key). */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum([
      "always_on",
      "always_off",
      "traceidratio",
      "parentbased_always_on",
      "parentbased_always_off",
      "parentbased_traceidratio",
    ])
    .default("parentbased_always_on"),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** Outbound webhooks may target loopback/private/link-local addresses (tests, private networks). */
  ALLOW_PRIVATE_WEBHOOK_URLS: bool.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(15),
});
export type CommonEnv = z.infer<typeof commonEnv>;

function decodeKey(v: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, "hex");
  const b = Buffer.from(v, "base64");
  return b.length === 32 ? b : null;
}

/**
 * The key that encrypts provider secrets. Production must set it; in
 * development it is generated once and kept under the data directory.
 */
export function resolveEncryptionKey(env: CommonEnv): Buffer {
  if (env.APP_ENCRYPTION_KEY) {
    const key = decodeKey(env.APP_ENCRYPTION_KEY);
    if (key) return key;
  }
  if (env.NODE_ENV === "production") {
    throw new ConfigError("APP_ENCRYPTION_KEY", "is required in production (32 bytes, hex or base64)");
  }
  const file = join(resolve(env.DATA_DIR), "encryption.key");
  if (existsSync(file)) {
    const key = decodeKey(readFileSync(file, "utf8").trim());
    if (key) return key;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("hex"), { mode: 0o600 });
  return key;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

/** Parses the environment with `schema`; on failure throws one error naming every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(problems.map((p) => p.split(":")[0]).join(", "), `— ${problems.join("; ")}`);
}

export function storagePath(env: CommonEnv): string {
  return resolve(env.STORAGE_PATH ?? join(env.DATA_DIR, "storage"));
}

export function coreConfigFromEnv(env: CommonEnv) {
  return {
    sessionIdleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT,
    sessionMaxAgeSeconds: env.SESSION_MAX_AGE,
    sessionMaxPerUser: env.SESSION_MAX_PER_USER,
    encryptionKey: resolveEncryptionKey(env),
    storagePath: storagePath(env),
    conversationTtlSeconds: env.CONVERSATION_TTL,
    defaultRegion: env.DEFAULT_REGION,
    timezone: env.TIMEZONE,
    optOutKeywords: env.OPT_OUT_KEYWORDS?.split(",")
      .map((k) => k.trim())
      .filter(Boolean),
    providerTimeoutMs: env.PROVIDER_TIMEOUT_MS,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ""),
    allowPrivateProviderUrls: env.ALLOW_PRIVATE_PROVIDER_URLS,
    mediaFetchAttempts: env.MEDIA_FETCH_ATTEMPTS,
    mediaRetryBaseMs: env.MEDIA_RETRY_BASE_MS,
    webhookRetentionDays: env.WEBHOOK_RETENTION_DAYS,
    allowPrivateWebhookUrls: env.ALLOW_PRIVATE_WEBHOOK_URLS,
    webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
    webhookRetryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    webhookDisableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
    reportStatementTimeoutMs: env.REPORT_STATEMENT_TIMEOUT * 1000,
  };
}

/**
 * Tracing settings from the standard OTEL_* variables, or null (tracing off) when no
 * endpoint is set or OTEL_SDK_DISABLED is true. `service` names the process when
 * OTEL_SERVICE_NAME does not.
 */
export function telemetryConfigFromEnv(env: CommonEnv, service: string): TelemetryConfig | null {
  if (env.OTEL_SDK_DISABLED) return null;
  const url =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT && `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`);
  if (!url) return null;
  const headers: Record<string, string> = {};
  for (const pair of env.OTEL_EXPORTER_OTLP_HEADERS?.split(",") ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new ConfigError("OTEL_EXPORTER_OTLP_HEADERS", "must be key=value pairs separated by commas");
    headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return {
    url,
    protocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL,
    headers,
    serviceName: env.OTEL_SERVICE_NAME ?? service,
    sampler: env.OTEL_TRACES_SAMPLER,
    ratio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
  };
}

export type TelemetryConfig = {
  /** Where spans are POSTed (OTLP/HTTP). */
  url: string;
  protocol: "http/protobuf" | "http/json";
  headers: Record<string, string>;
  serviceName: string;
  sampler: CommonEnv["OTEL_TRACES_SAMPLER"];
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the traceidratio samplers. */
  ratio: number;
};

/** The statement and idle-in-transaction limits of a process's connections (`connect`'s options), in ms. */
export function dbTimeoutsFromEnv(env: CommonEnv) {
  return {
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT * 1000,
    idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT * 1000,
  };
}
