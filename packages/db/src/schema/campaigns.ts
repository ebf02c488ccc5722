import { sql } from "drizzle-orm";
import {
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
import { campaignStatus, importStatus, recipientStatus } from "./enums";
import { contacts, serviceInstances } from "./messaging";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const templates = pgTable(
  "templates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    body: text("body").notNull(),
    /** Variable names found in the body, in order of first appearance. */
    variables: text("variables").array().notNull().default(sql`'{}'::text[]`),
    metaName: text("meta_name"),
    metaLanguage: text("meta_language"),
    metaComponents: jsonb("meta_components").$type<unknown[]>(),
    /** Meta's id of the template (synced from the WhatsApp Business Account). */
    metaTemplateId: text("meta_template_id"),
    /** APPROVED | PENDING | REJECTED | PAUSED | DISABLED …, as Meta last said; only APPROVED is sent. */
    metaStatus: text("meta_status"),
    /** Why Meta rejected, paused or disabled it (webhook `reason` / `other_info`). */
    metaStatusReason: text("meta_status_reason"),
    metaCategory: text("meta_category"),
    /** GREEN | YELLOW | RED | UNKNOWN */
    metaQuality: text("meta_quality"),
    metaSyncedAt: tz("meta_synced_at"),
    /** Inactive templates stay for history (campaigns) but are offered and sent nowhere. */
    active: boolean("active").notNull().default(true),
    /** The one number this template may go out on (Meta approves templates per account); null: any number. */
    instanceId: uuid("instance_id").references(() => serviceInstances.id),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("templates_name_lower_idx").on(sql`lower(${t.name})`)],
);

export const campaigns = pgTable("campaigns", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  instanceId: uuid("instance_id")
    .notNull()
    .references(() => serviceInstances.id),
  templateId: uuid("template_id")
    .notNull()
    .references(() => templates.id),
  variableMapping: jsonb("variable_mapping").$type<Record<string, string>>().notNull().default({}),
  audience: jsonb("audience").$type<Record<string, unknown>>().notNull().default({}),
  status: campaignStatus("status").notNull().default("DRAFT"),
  pacePerMinute: integer("pace_per_minute").notNull().default(60),
  jitterPct: integer("jitter_pct").notNull().default(0),
  windowStart: text("window_start"),
  windowEnd: text("window_end"),
  timezone: text("timezone").notNull().default("America/Sao_Paulo"),
  dailyCap: integer("daily_cap"),
  startAt: tz("start_at"),
  /** Pacing cursor: the earliest time the next recipient may be sent. */
  nextSendAt: tz("next_send_at"),
  startedAt: tz("started_at"),
  finishedAt: tz("finished_at"),
  createdById: uuid("created_by_id").references(() => users.id),
  createdAt: tz("created_at").notNull().defaultNow(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id),
    phone: text("phone").notNull(),
    variables: jsonb("variables").$type<Record<string, string>>().notNull().default({}),
    status: recipientStatus("status").notNull().default("PENDING"),
    reason: text("reason"),
    providerMessageId: text("provider_message_id"),
    errorCode: text("error_code"),
    attemptedAt: tz("attempted_at"),
    sentAt: tz("sent_at"),
    deliveredAt: tz("delivered_at"),
    readAt: tz("read_at"),
    repliedAt: tz("replied_at"),
  },
  (t) => [
    uniqueIndex("campaign_recipients_contact_idx").on(t.campaignId, t.phone),
    index("campaign_recipients_status_idx").on(t.campaignId, t.status, t.id),
    index("campaign_recipients_provider_idx").on(t.providerMessageId),
    // A customer's message looks up the campaign that last reached him (reply attribution).
    index("campaign_recipients_contact_sent_idx").on(t.contactId, t.attemptedAt),
  ],
);

export const imports = pgTable(
  "imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<"CONTACTS" | "CAMPAIGN">().notNull(),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    status: importStatus("status").notNull().default("PENDING"),
    fileKey: text("file_key").notNull(),
    fileName: text("file_name").notNull(),
    mapping: jsonb("mapping").$type<Record<string, string>>(),
    totalRows: integer("total_rows"),
    rowsRead: integer("rows_read").notNull().default(0),
    imported: integer("imported").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    invalid: integer("invalid").notNull().default(0),
    /** Resume point: number of data rows already committed. */
    checkpointRows: integer("checkpoint_rows").notNull().default(0),
    error: text("error"),
    createdById: uuid("created_by_id").references(() => users.id),
    createdAt: tz("created_at").notNull().defaultNow(),
    startedAt: tz("started_at"),
    finishedAt: tz("finished_at"),
    /** Set by an LGPD erasure while the import ran: its file is deleted when it ends. */
    eraseFileWhenDone: boolean("erase_file_when_done").notNull().default(false),
  },
  (t) => [index("imports_created_idx").on(t.createdAt)],
);

export const importErrors = pgTable(
  "import_errors",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    importId: uuid("import_id")
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    line: integer("line").notNull(),
    value: text("value"),
    reason: text("reason").notNull(),
  },
  (t) => [uniqueIndex("import_errors_line_idx").on(t.importId, t.line)],
);
