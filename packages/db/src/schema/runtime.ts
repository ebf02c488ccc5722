import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Realtime event log. Every published event is a row; NOTIFY carries only its id.
 * Subscribers use the id as tRPC `tracked()` id, so a reconnecting client resumes
 * from its last id. `operatorId` null means "staff only" unless `audience` says all.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    /** ALL: every authenticated user; STAFF: supervisors and admins; USER: only `userId` (+ staff when `staffToo`). */
    audience: text("audience").$type<"ALL" | "STAFF" | "USER">().notNull(),
    userId: uuid("user_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [index("events_created_idx").on(t.createdAt)],
);

/** One row per live API process; a process whose heartbeat is stale is dead. */
export const apiNodes = pgTable("api_nodes", {
  id: text("id").primaryKey(),
  startedAt: tz("started_at").notNull().defaultNow(),
  heartbeatAt: tz("heartbeat_at").notNull().defaultNow(),
});

/** One row per authenticated WebSocket; drives operator presence. */
export const presenceConnections = pgTable(
  "presence_connections",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    connectedAt: tz("connected_at").notNull().defaultNow(),
  },
  (t) => [index("presence_connections_user_idx").on(t.userId), index("presence_connections_node_idx").on(t.nodeId)],
);

/** Worker heartbeats: jobs locked by a worker that stopped beating get force-unlocked. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  heartbeatAt: tz("heartbeat_at").notNull().defaultNow(),
});

/**
 * App settings an admin changes from the console (not deployment settings, which
 * are environment variables). One row per key; a missing row means the default.
 */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
  updatedById: uuid("updated_by_id").references(() => users.id, { onDelete: "set null" }),
});

/**
 * Business counters for /metrics (docs/metrics.md, "Prometheus metrics"): every row is an increment of
 * `metric` for one label set (`labels`, in the metric's label order), written by triggers (migration
 * 0022) and by deliverMessage in the transaction of the work it counts, so every API process reads the
 * same cluster-wide totals. Rows are only ever added; the `metrics/compact_counts` cron folds them into
 * one row per label set. A counter is the sum of its rows; erasing messages never lowers it.
 */
export const metricCounts = pgTable("metric_counts", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  metric: text("metric").notNull(),
  labels: text("labels").array().notNull(),
  n: bigint("n", { mode: "number" }).notNull(),
});
