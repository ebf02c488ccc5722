import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Public API tokens (`/api/v1`). Only the SHA-256 of the token is stored; the
 * token is shown once, at creation. A call made with one acts as its owner
 * (whose role still applies) within the token's scopes, and is audited as the token.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** Hex SHA-256 of the whole token. */
    tokenHash: text("token_hash").notNull().unique(),
    /** The token's first characters, so an admin can tell tokens apart ("elsehu_AbC1…"). */
    prefix: text("prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: tz("expires_at"),
    lastUsedAt: tz("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    revokedAt: tz("revoked_at"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [index("api_tokens_owner_idx").on(t.ownerId)],
);

/**
 * `Idempotency-Key` of the public API's sends: written in the transaction that
 * queues the message, so a retried request finds the first one's answer and
 * never sends twice. Kept 24 h.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    tokenId: uuid("token_id")
      .notNull()
      .references(() => apiTokens.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** SHA-256 of the operation and its input: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: jsonb("response").$type<unknown>().notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] }), index("api_idempotency_keys_created_idx").on(t.createdAt)],
);

/**
 * Outbound webhook endpoints: an admin's URL that receives signed POSTs of the
 * event types it subscribed to. The signing secret is encrypted at rest
 * (`APP_ENCRYPTION_KEY`) and only an admin can reveal it. After
 * `WEBHOOK_DISABLE_AFTER_FAILURES` failed attempts in a row the worker disables
 * it (`disabledReason` = 'failures').
 */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: uuid("id").primaryKey().defaultRandom(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  /** Public event types ("message.received", …): see docs/webhooks.md. */
  eventTypes: text("event_types").array().notNull(),
  /** AES-GCM blob of the signing secret (`encryptJson`). */
  secretEncrypted: text("secret_encrypted").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  /** 'admin' (turned off by hand) or 'failures' (by the worker). */
  disabledReason: text("disabled_reason"),
  disabledAt: tz("disabled_at"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: tz("created_at").notNull().defaultNow(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

/**
 * One event to deliver to one endpoint, filled from `events` by the
 * `webhook_fanout` trigger (or by "enviar teste" / "reenviar"). Deliveries of
 * one `lane` (an endpoint's conversation, or the delivery alone) go out one at
 * a time in id order: a failing head holds back its lane until it succeeds or
 * is given up. `data` is built on the first attempt and kept, so every retry
 * sends the same body.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The body's `id`: stable across retries and "reenviar", so receivers can drop duplicates. */
    publicId: uuid("public_id").notNull().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" }),
    /** Public event type ("message.received"). */
    type: text("type").notNull(),
    /** The catalog kind and payload it came from (ids only), to build `data` from. */
    eventKind: text("event_kind"),
    eventPayload: jsonb("event_payload").$type<Record<string, unknown>>(),
    /** Conversation id, or 'd:<id>' for a delivery ordered with nothing else. */
    lane: text("lane").notNull(),
    /** The contact it is about, for LGPD erasure. */
    contactId: uuid("contact_id"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    /** PENDING → SUCCEEDED, or FAILED once given up (24 h of retries), or SKIPPED (nothing to send). */
    status: text("status").$type<"PENDING" | "SUCCEEDED" | "FAILED" | "SKIPPED">().notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    /** A worker's claim on the lane's head while it posts (expires if that worker dies). */
    claimedUntil: tz("claimed_until"),
    lastAttemptAt: tz("last_attempt_at"),
    responseStatus: integer("response_status"),
    /** At most 500 characters of the receiver's answer. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    createdAt: tz("created_at").notNull().defaultNow(),
    deliveredAt: tz("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_lane_idx").on(t.endpointId, t.lane, t.id),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_contact_idx").on(t.contactId),
    index("webhook_deliveries_lane_only_idx").on(t.lane),
  ],
);
