import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Opening hours of a department, in the configured TIMEZONE. No hours: always open. */
export type DepartmentHours = {
  /** Per weekday (0 = Sunday), "HH:MM" to "HH:MM"; a day may have several intervals. */
  weekly: Array<{ day: number; open: string; close: string }>;
  /** Whole days closed, YYYY-MM-DD. */
  holidays: string[];
};

/** A team (fila/setor): its own queue, members, hours and automatic messages. */
export const departments = pgTable(
  "departments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** Badge colour, #rrggbb. */
    color: text("color").notNull().default("#2563eb"),
    hours: jsonb("hours").$type<DepartmentHours>(),
    outOfHoursMessage: text("out_of_hours_message"),
    /** Set: a conversation arriving out of hours is closed with this tabulation instead of waiting. */
    outOfHoursTabulationId: uuid("out_of_hours_tabulation_id"),
    greetingMessage: text("greeting_message"),
    farewellMessage: text("farewell_message"),
    csatEnabled: boolean("csat_enabled").notNull().default(false),
    csatQuestion: text("csat_question"),
    archivedAt: tz("archived_at"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("departments_name_lower_idx").on(sql`lower(${t.name})`)],
);

/**
 * Who works in a department: operators (assigned its conversations) and the
 * supervisors who watch it. A supervisor with memberships is limited to those
 * departments; one with none sees everything.
 */
export const departmentMembers = pgTable(
  "department_members",
  {
    departmentId: uuid("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<"OPERATOR" | "SUPERVISOR">().notNull(),
    /** Capacity for this department's conversations, instead of the user's own, counted on all his open ones. */
    maxConcurrent: integer("max_concurrent"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.userId] }), index("department_members_user_idx").on(t.userId)],
);

/** Every hand-over of a conversation: between operators, departments or back to the queue. */
export const conversationTransfers = pgTable(
  "conversation_transfers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    conversationId: uuid("conversation_id").notNull(),
    byUserId: uuid("by_user_id").references(() => users.id, { onDelete: "set null" }),
    fromOperatorId: uuid("from_operator_id"),
    toOperatorId: uuid("to_operator_id"),
    fromDepartmentId: uuid("from_department_id"),
    toDepartmentId: uuid("to_department_id"),
    note: text("note"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [index("conversation_transfers_conversation_idx").on(t.conversationId, t.id)],
);
