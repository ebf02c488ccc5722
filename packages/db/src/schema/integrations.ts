import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
