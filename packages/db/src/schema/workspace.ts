import { sql } from "drizzle-orm";
import { bigint, date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Per-day base of the protocol numbers: a day's number is the protocol sequence's value minus its
 * base (`next_conversation_protocol()`, migration 0015). One row per day, written by its first conversation.
 */
export const protocolDays = pgTable("protocol_days", {
  day: date("day").primaryKey(),
  base: bigint("base", { mode: "number" }).notNull(),
});

/** A quick reply's file: where it is stored, and its type, name and size as uploaded. */
export type QuickReplyAttachment = { storageKey: string; mimeType: string; fileName: string; size: number };

/**
 * Respostas rápidas: text an operator inserts by typing `/` in the composer. Personal (`ownerId` set)
 * or shared (`ownerId` null, managed by staff). `{{nome}}`, `{{operador}}`, `{{protocolo}}` are filled in.
 */
export const quickReplies = pgTable(
  "quick_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    /** What follows the `/`: lower-case letters, digits, `-` and `_`. */
    shortcut: text("shortcut").notNull(),
    body: text("body").notNull(),
    /** An optional file sent with the text (its own copy is stored with each message sent). */
    attachment: jsonb("attachment").$type<QuickReplyAttachment>(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("quick_replies_scope_shortcut_idx").on(
      sql`coalesce(${t.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.shortcut,
    ),
    index("quick_replies_owner_idx").on(t.ownerId),
  ],
);
