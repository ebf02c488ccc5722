import type { Db, DbOrTx, Sql } from "@elsehu/db";
import type { Logger } from "pino";
import type { Auth } from "../auth/lucia";

/**
 * What every core verb receives. Routers, tasks and tests build one; nothing in
 * core reads process.env or module-level singletons.
 */
export type CoreContext = {
  db: Db;
  sql: Sql;
  log: Logger;
  /** Injected so tests and benchmarks can control time. */
  now: () => Date;
  config: CoreConfig;
  auth: Auth;
};

export type CoreConfig = {
  sessionIdleTimeoutSeconds: number;
  /** Absolute lifetime of a session, however active (SESSION_MAX_AGE; default 7 days). */
  sessionMaxAgeSeconds?: number;
  /** Sessions a user may hold; a login beyond it ends the oldest (SESSION_MAX_PER_USER; default 10). */
  sessionMaxPerUser?: number;
  encryptionKey: Buffer;
  storagePath: string;
  conversationTtlSeconds: number;
  defaultRegion: string;
  timezone: string;
  /** Inbound texts that opt a contact out of campaigns (default SAIR, PARAR, STOP, CANCELAR). */
  optOutKeywords?: string[];
  /** HTTP timeout of provider calls (default: the adapters' 15 s). */
  providerTimeoutMs?: number;
  /** PUBLIC_URL without a trailing slash: the base of the webhook URLs given to providers. */
  publicUrl?: string;
  /** Accept provider base URLs on loopback/private/link-local addresses (simulator, tests, private Evolution). */
  allowPrivateProviderUrls?: boolean;
  /** Inbound media: downloads before "mídia indisponível" (default 5) and the first retry's delay (default 5 s, doubling). */
  mediaFetchAttempts?: number;
  mediaRetryBaseMs?: number;
  /** Outbound webhooks: accept endpoint URLs on loopback/private/link-local addresses (ALLOW_PRIVATE_WEBHOOK_URLS). */
  allowPrivateWebhookUrls?: boolean;
  /** Outbound webhooks: request timeout (default 10 s), first retry delay (default 30 s, doubling), failed attempts in a row that disable an endpoint (default 15). */
  webhookTimeoutMs?: number;
  webhookRetryBaseMs?: number;
  webhookDisableAfterFailures?: number;
  /** Days processed webhook bodies are kept (default 30). */
  webhookRetentionDays?: number;
  /** `statement_timeout` of report queries and exports, longer than the connections' own (default 5 min). */
  reportStatementTimeoutMs?: number;
};

export type Tx = DbOrTx;

export type Actor = { id: string; role: "ADMIN" | "SUPERVISOR" | "OPERATOR"; name: string };
