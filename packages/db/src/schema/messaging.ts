import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { departments } from "./departments";
import { conversationStatus, messageDirection, messageStatus, providerKind } from "./enums";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const contacts = pgTable(
  "contacts",
  {
    /** Time-ordered (UUIDv7, migration 0004): bulk imports append to the primary-key index. */
    id: uuid("id").primaryKey().default(sql`time_ordered_uuid()`),
    /** E.164; null once the contact is erased (LGPD) or when only a hidden-number id is known. */
    phone: text("phone"),
    /** Canonical key: for Brazilian mobiles always the 9-digit form, so 8- and 9-digit inputs meet. */
    phoneKey: text("phone_key"),
    name: text("name"),
    email: text("email"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb("custom_fields").$type<Record<string, string>>().notNull().default({}),
    /** Lower-cased, accent-free name/email/phone digits, maintained by the app for search. */
    searchText: text("search_text").notNull().default(""),
    optedOutAt: tz("opted_out_at"),
    erasedAt: tz("erased_at"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("contacts_phone_key_idx").on(t.phoneKey),
    index("contacts_tags_idx").using("gin", t.tags),
    index("contacts_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
  ],
);

/** Provider-side identities of a contact: Meta wa_id / business-scoped user_id, Evolution JID / @lid. */
export const contactIdentities = pgTable(
  "contact_identities",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    provider: providerKind("provider").notNull(),
    kind: text("kind").$type<"wa_id" | "bsuid" | "jid" | "lid">().notNull(),
    externalId: text("external_id").notNull(),
  },
  (t) => [
    uniqueIndex("contact_identities_ext_idx").on(t.provider, t.kind, t.externalId),
    index("contact_identities_contact_idx").on(t.contactId),
  ],
);

/** A number's first-contact routing (core/routing validates it). */
export type InstanceRouting =
  | { mode: "GLOBAL" }
  | { mode: "DEPARTMENT"; departmentId: string }
  | {
      mode: "MENU";
      greeting: string;
      options: Array<{ title: string; departmentId: string }>;
      fallbackDepartmentId: string;
      timeoutMinutes: number;
    };

export const serviceInstances = pgTable(
  "service_instances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    provider: providerKind("provider").notNull(),
    /** Non-secret settings (phone number id, WABA id, base URL, instance name, Graph version). */
    config: jsonb("config").$type<Record<string, string>>().notNull().default({}),
    /** AES-256-GCM ciphertext of the secret settings (tokens, app secret, API key, webhook secret). */
    secrets: text("secrets").notNull(),
    /** Meta routing key: `phone_number_id` from webhooks. */
    metaPhoneNumberId: text("meta_phone_number_id"),
    connectionStatus: text("connection_status").notNull().default("unknown"),
    /**
     * What the provider said about the number at the last check (Meta: display name, quality
     * rating, messaging limit; Evolution: the webhook it was set to), with `checkedAt`.
     */
    providerDetails: jsonb("provider_details").$type<Record<string, string>>(),
    qrCode: text("qr_code"),
    sendRatePerSecond: integer("send_rate_per_second").notNull().default(80),
    /** Cross-worker send pacing: the earliest time the next send may start (GCRA). */
    nextSendAt: tz("next_send_at").notNull().defaultNow(),
    active: boolean("active").notNull().default(true),
    /** How new conversations are routed: global queue (null), one department, or a menu. */
    routing: jsonb("routing").$type<InstanceRouting>(),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("service_instances_meta_pnid_idx").on(t.metaPhoneNumberId)],
);

export const tabulations = pgTable(
  "tabulations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tabulations_name_lower_idx").on(sql`lower(${t.name})`)],
);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => serviceInstances.id),
    status: conversationStatus("status").notNull().default("WAITING"),
    operatorId: uuid("operator_id").references(() => users.id),
    tabulationId: uuid("tabulation_id").references(() => tabulations.id),
    closeNote: text("close_note"),
    campaignId: uuid("campaign_id"),
    /** The click-to-WhatsApp ad the customer came from (first one seen in the conversation). */
    referral: jsonb("referral").$type<ConversationReferral>(),
    unreadCount: integer("unread_count").notNull().default(0),
    createdAt: tz("created_at").notNull().defaultNow(),
    /** When it (re)entered the queue; the queue drains by this, oldest first. */
    queuedAt: tz("queued_at").notNull().defaultNow(),
    firstAssignedAt: tz("first_assigned_at"),
    assignedAt: tz("assigned_at"),
    firstResponseAt: tz("first_response_at"),
    lastInboundAt: tz("last_inbound_at"),
    lastMessageAt: tz("last_message_at"),
    closedAt: tz("closed_at"),
    closedById: uuid("closed_by_id").references(() => users.id),
    /** Its team; null: the global queue. */
    departmentId: uuid("department_id").references(() => departments.id),
    /** 'MENU' while the customer has not chosen a department yet: not assignable meanwhile. */
    routingState: text("routing_state").$type<"MENU">(),
    routingAskedAt: tz("routing_asked_at"),
    routingAttempts: integer("routing_attempts").notNull().default(0),
    /** The out-of-hours message was sent (once per conversation). */
    outOfHoursNotifiedAt: tz("out_of_hours_notified_at"),
    csatAskedAt: tz("csat_asked_at"),
    csatScore: integer("csat_score"),
    csatAnsweredAt: tz("csat_answered_at"),
    /**
     * Human protocol number `AAAAMMDD-NNNNNN` (day in TIMEZONE, then the day's counter), unique. Set by
     * `next_conversation_protocol()` (migration 0015): a sequence, so concurrent inserts never wait on a row.
     */
    protocol: text("protocol").notNull().default(sql`next_conversation_protocol(now(), 'America/Sao_Paulo')`),
    /** Tags operators put on the conversation (the contact's own tags live on the contact). */
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /*
     * The four report times in whole seconds (rounded), kept by Postgres on every write so reports read
     * them from the covering indexes below instead of computing them. Definitions: docs/metrics.md.
     * The trigger conversations_report_times (migration 0007) sets them on insert and on any update of
     * their inputs (or of themselves). They were stored generated columns, but Postgres re-parsed the
     * four expressions for every UPDATE statement on conversations, including each inbound message's
     * stamp that touches none of their inputs: 15% of the inbound path's database time.
     */
    waitS: integer("wait_s"),
    handleS: integer("handle_s"),
    firstResponseS: integer("first_response_s"),
    durationS: integer("duration_s"),
  },
  (t) => [
    uniqueIndex("conversations_one_active_idx")
      .on(t.contactId, t.instanceId)
      .where(sql`${t.status} in ('WAITING', 'OPEN')`),
    index("conversations_queue_idx").on(t.queuedAt).where(sql`${t.status} = 'WAITING'`),
    /** Per-department queues (null: the global one), drained oldest first. */
    index("conversations_department_queue_idx")
      .on(t.departmentId, t.queuedAt, t.id)
      .where(sql`${t.status} = 'WAITING'`),
    /** Menus waiting for an answer, for the timeout sweep. */
    index("conversations_routing_idx").on(t.routingAskedAt).where(sql`${t.routingState} is not null`),
    index("conversations_department_idx").on(t.departmentId, t.closedAt),
    /** Satisfaction questions still unanswered, looked up when the customer writes again. */
    index("conversations_csat_pending_idx")
      .on(t.contactId, t.instanceId)
      .where(sql`${t.csatAskedAt} is not null and ${t.csatAnsweredAt} is null`),
    index("conversations_operator_idx").on(t.operatorId, t.status),
    /*
     * conversations_active_idx (status) INCLUDE (operator_id, instance_id), partial on WAITING and OPEN, is
     * created by migration 0006 (drizzle has no INCLUDE). The reports' "open now" / "waiting now" counts
     * read it alone. With instance_id as a key column, Postgres 18's skip scan made it look as good as
     * conversations_one_active_idx for finding a contact's active conversation, and then every inbound
     * message walked all the instance's active conversations.
     */
    /*
     * Reports read a period of finished conversations by an index-only scan of one of these (by close
     * time, or per operator). Columns after the leading ones only cover the reports' reads (drizzle has no
     * INCLUDE); partial, so updates of active conversations never touch them.
     */
    index("conversations_finished_idx")
      .on(
        t.closedAt,
        t.status,
        t.operatorId,
        t.tabulationId,
        t.instanceId,
        t.waitS,
        t.handleS,
        t.firstResponseS,
        t.durationS,
      )
      .where(sql`${t.status} in ('CLOSED', 'EXPIRED')`),
    index("conversations_finished_operator_idx")
      .on(
        t.operatorId,
        t.status,
        t.closedAt,
        t.tabulationId,
        t.instanceId,
        t.waitS,
        t.handleS,
        t.firstResponseS,
        t.durationS,
      )
      .where(sql`${t.status} in ('CLOSED', 'EXPIRED')`),
    index("conversations_contact_idx").on(t.contactId),
    /*
     * An operator's message search looks up the customer history the rule grants him by index-only scans of two
     * partial indexes migration 0027 creates by hand (drizzle has no INCLUDE): conversations_open_contacts_idx
     * (operator_id) INCLUDE (contact_id, instance_id) on OPEN, his customers now; then
     * conversations_finished_contact_idx (contact_id, instance_id) INCLUDE (operator_id, status, id) on CLOSED
     * and EXPIRED, their finished conversations, without a table read per customer.
     */
    uniqueIndex("conversations_protocol_idx").on(t.protocol),
    index("conversations_tags_idx").using("gin", t.tags),
    /*
     * Nothing indexes last_message_at, last_inbound_at or unread_count: every inbound message moves them,
     * and an update that changes no indexed column is HOT (no new entry in the indexes above), which keeps
     * the lookups of a busy conversation fast. Migration 0006 also leaves free room on each page for that.
     */
  ],
);

/**
 * Inbound media is fetched after the message is stored (core/messages/fetch-inbound-media.ts):
 * "pending" until its file is in storage ("ready"); "failed" after the retries (staff may ask
 * again); "expired" once the provider no longer keeps it (Meta: 30 days).
 */
export type MediaState = "pending" | "ready" | "failed" | "expired";

export type MessageMedia = {
  state?: MediaState;
  /** Why the last download failed (provider code and words), for staff. */
  error?: string;
  storageKey?: string;
  providerMediaId?: string;
  url?: string;
  mimeType?: string;
  fileName?: string;
  size?: number;
  caption?: string;
  voice?: boolean;
  /** A voice note's length, read from its Ogg stream when it was sent. */
  durationMs?: number;
};

/** A customer's reaction on a message (Meta/Evolution reaction events); removed when cleared. */
export type MessageReaction = { emoji: string; at: string };

/** An earlier text of an edited message. */
export type MessageEdit = { body: string | null; at: string };

/** Click-to-WhatsApp ad a conversation came from (Meta `referral`). */
export type ConversationReferral = {
  sourceId?: string;
  sourceType?: string;
  sourceUrl?: string;
  headline?: string;
  body?: string;
  mediaType?: string;
  ctwaClid?: string;
};

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id),
    /**
     * The conversation's operator, copied for message search (an operator's search reads his messages only).
     * Kept by triggers (migration 0027), never written by the code: set from the conversation on insert, and
     * rewritten on the conversation's messages whenever its operator changes (assignment, transfer, requeue).
     */
    operatorId: uuid("operator_id"),
    /**
     * Insertion order: the tie-break wherever "newest" is chosen, as providers stamp `created_at` in whole
     * seconds (two messages of one second tie). Never the physical order: rows move when updated (a status, the
     * operator copy above rewritten on a transfer).
     */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => serviceInstances.id),
    direction: messageDirection("direction").notNull(),
    type: text("type").notNull(),
    body: text("body"),
    media: jsonb("media").$type<MessageMedia>(),
    /** Extra structured content: location, reaction, template params, interactive reply. */
    content: jsonb("content").$type<Record<string, unknown>>(),
    providerMessageId: text("provider_message_id"),
    replyToId: uuid("reply_to_id"),
    status: messageStatus("status").notNull().default("QUEUED"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    authorId: uuid("author_id").references(() => users.id),
    campaignRecipientId: integer("campaign_recipient_id"),
    /** The customer's reaction, if any (the latest replaces it; an empty one removes it). */
    reaction: jsonb("reaction").$type<MessageReaction>(),
    /** Earlier texts, oldest first, when the customer edited the message. */
    editHistory: jsonb("edit_history").$type<MessageEdit[]>(),
    editedAt: tz("edited_at"),
    /** The customer deleted it for everyone: operators no longer get its content. */
    deletedAt: tz("deleted_at"),
    createdAt: tz("created_at").notNull().defaultNow(),
    sentAt: tz("sent_at"),
    deliveredAt: tz("delivered_at"),
    readAt: tz("read_at"),
    /** W3C traceparent of the send that queued it (tracing on): its provider statuses join that trace. */
    trace: text("trace"),
  },
  (t) => [
    uniqueIndex("messages_provider_id_idx").on(t.instanceId, t.providerMessageId),
    index("messages_conversation_idx").on(t.conversationId, t.createdAt),
    /** Internal notes (type 'note', never sent): few, so exports find a conversation's notes at once. */
    index("messages_notes_idx").on(t.conversationId, t.createdAt).where(sql`${t.type} = 'note'`),
    /**
     * messages.search: Portuguese full text, accents ignored (the `elsehu_pt` configuration: unaccent, then the
     * Portuguese stemmer; created by migration 0019). GIN on tsvector is exact for plain queries: no recheck.
     * With the operator (btree_gin) first: an operator's search is one scan of his matches only (GIN intersects
     * his entry with the words'), and staff use the words alone, as efficiently (a GIN column order is moot).
     */
    index("messages_search_idx").using(
      "gin",
      t.operatorId,
      sql`to_tsvector('elsehu_pt'::regconfig, coalesce(${t.body}, ''))`,
    ),
    /**
     * Newest messages first, for message search: it walks the newest few hundred here (a common word fills its
     * page among them) and bounds its GIN searches by created_at ranges (a day, a week, ...) it ANDs with this.
     */
    index("messages_created_idx").on(t.createdAt, t.id),
    /** An operator's messages newest first: his search walks his newest few hundred here, as staff's does above. */
    index("messages_operator_created_idx").on(t.operatorId, t.createdAt, t.id),
  ],
);

/** Raw inbound webhook bodies, stored before the 200 for durability, replay and audit. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    instanceId: uuid("instance_id").references(() => serviceInstances.id),
    provider: providerKind("provider").notNull(),
    body: text("body").notNull(),
    receivedAt: tz("received_at").notNull().defaultNow(),
    processedAt: tz("processed_at"),
    error: text("error"),
    /** Times a worker claimed it (the webhook inbox, core/webhooks/webhook-inbox.ts). */
    attempts: integer("attempts").notNull().default(0),
    /** Claimed by a worker until then, or not to be retried before then; null: free. */
    lockedUntil: tz("locked_until"),
    /**
     * Set by an LGPD erasure while the body was still waiting: the body is emptied in the
     * statement that settles it (processed or given up): core/webhooks/webhook-inbox.ts, process-webhook.ts.
     */
    eraseWhenSettled: boolean("erase_when_settled").notNull().default(false),
    /** W3C traceparent of the request that stored it (tracing on): the worker's spans join that trace. */
    trace: text("trace"),
  },
  (t) => [
    index("webhook_events_received_idx").on(t.receivedAt),
    index("webhook_events_pending_idx").on(t.id).where(sql`${t.processedAt} is null`),
  ],
);

/**
 * Claims of stored webhooks not settled yet, counted in their own committed statement
 * (core/webhooks/webhook-inbox.ts): a worker that dies while applying a webhook rolls
 * its claim back, but not this count, so a webhook that kills its worker is given up
 * after its attempts instead of looping forever. No foreign key: its check would wait
 * on the claim's row lock of the webhook.
 */
export const webhookClaims = pgTable("webhook_claims", {
  webhookEventId: bigint("webhook_event_id", { mode: "number" }).primaryKey(),
  claims: integer("claims").notNull(),
});
