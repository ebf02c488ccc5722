import type { JobName, JobPayload } from "@elsehu/core";
import type { CronItem, TaskList } from "graphile-worker";
import { purgeExpiredTask } from "./auth/purge-expired";
import { ackOptOutTask } from "./campaigns/ack-opt-out";
import { dispatchTickTask } from "./campaigns/dispatch-tick";
import { resumeStalledTask } from "./campaigns/resume-stalled";
import { importCsvTask } from "./contacts/import-csv";
import { assignWaitingTask } from "./conversations/assign-waiting";
import { expireIdleTask } from "./conversations/expire-idle";
import { routeTimeoutsTask } from "./conversations/route-timeouts";
import type { TaskDef, TaskDeps } from "./define";
import { fetchMediaTask } from "./messages/fetch-media";
import { markReadTask } from "./messages/mark-read";
import { processWebhookTask } from "./messages/process-webhook";
import { sendBatchTask } from "./messages/send-batch";
import { sendMessageTask } from "./messages/send-message";
import { showTypingTask } from "./messages/show-typing";
import { compactCountsTask } from "./metrics/compact-counts";
import { sweepPresenceTask } from "./presence/sweep-presence";
import { syncMetaTemplatesTask } from "./templates/sync-meta";
import { deliverLaneTask } from "./webhook-endpoints/deliver-lane";
import { purgeProcessedWebhooksTask } from "./webhooks/purge-processed";

/**
 * The task of every job in core's job catalog (`jobs/catalog.ts`), by its name: a job
 * without a task, or a task under another job's name, fails the typecheck.
 */
const TASK_BY_JOB: { [N in JobName]: TaskDef<N> } = {
  "auth/purge_expired": purgeExpiredTask,
  "conversations/assign_waiting": assignWaitingTask,
  "conversations/expire_idle": expireIdleTask,
  "conversations/route_timeouts": routeTimeoutsTask,
  "presence/sweep": sweepPresenceTask,
  "campaigns/dispatch_tick": dispatchTickTask,
  "campaigns/resume_stalled": resumeStalledTask,
  "campaigns/ack_opt_out": ackOptOutTask,
  "contacts/import_csv": importCsvTask,
  "messages/process_webhook": processWebhookTask,
  "messages/send_message": sendMessageTask,
  "messages/send_batch": sendBatchTask,
  "messages/mark_read": markReadTask,
  "messages/show_typing": showTypingTask,
  "messages/fetch_media": fetchMediaTask,
  "webhooks/purge_processed": purgeProcessedWebhooksTask,
  "templates/sync_meta": syncMetaTemplatesTask,
  "webhooks/deliver_lane": deliverLaneTask,
  "metrics/compact_counts": compactCountsTask,
};

/** Every task the worker runs. */
export const TASKS: TaskDef[] = Object.values(TASK_BY_JOB);

/** A crontab line of a catalog job, with that job's payload type (graphile adds `_cron` to it). */
type CronJob = {
  [N in JobName]: Omit<CronItem, "task" | "payload"> & { task: N; payload?: JobPayload<N> & Record<string, unknown> };
}[JobName];

/**
 * Recurring jobs, with stable identifiers so restarts and several workers never double-schedule.
 * The every-minute ones backfill one minute: a runner restarted across a minute boundary (a
 * Postgres restart replaces it) still runs that minute's tick, once, from whichever worker is first.
 */
const LAST_MINUTE = { backfillPeriod: 60_000 };
export const CRON: CronJob[] = [
  // LGPD retention of raw webhook bodies; a worker down at :23 catches up within 2 h.
  {
    task: "webhooks/purge_processed",
    match: "23 * * * *",
    identifier: "webhooks_purge_processed",
    options: { backfillPeriod: 2 * 3600_000 },
  },
  { task: "auth/purge_expired", match: "7 * * * *", identifier: "auth_purge_expired", options: { backfillPeriod: 0 } },
  // Safety net: drains the queue even if a trigger was lost.
  {
    task: "conversations/assign_waiting",
    match: "* * * * *",
    identifier: "conversations_assign_waiting",
    options: LAST_MINUTE,
    payload: { reason: "cron" },
  },
  {
    task: "conversations/expire_idle",
    match: "* * * * *",
    identifier: "conversations_expire_idle",
    options: LAST_MINUTE,
  },
  // Business counters (metric_counts): one row per label set again; a missed minute waits for the next.
  {
    task: "metrics/compact_counts",
    match: "* * * * *",
    identifier: "metrics_compact_counts",
    options: { backfillPeriod: 0 },
  },
  // Customers who left the number's menu unanswered go to its fallback department.
  {
    task: "conversations/route_timeouts",
    match: "* * * * *",
    identifier: "conversations_route_timeouts",
    options: LAST_MINUTE,
  },
  // Meta templates (status, category, quality) every hour; webhooks update them in between.
  {
    task: "templates/sync_meta",
    match: "17 * * * *",
    identifier: "templates_sync_meta",
    options: { backfillPeriod: 0 },
  },
  { task: "presence/sweep", match: "* * * * *", identifier: "presence_sweep", options: LAST_MINUTE },
  // Safety net: a running campaign whose tick job was lost is resumed within a minute.
  {
    task: "campaigns/resume_stalled",
    match: "* * * * *",
    identifier: "campaigns_resume_stalled",
    options: LAST_MINUTE,
  },
];

export function buildTaskList(deps: TaskDeps): TaskList {
  return Object.fromEntries(TASKS.map((t) => [t.identifier, t.build(deps)]));
}
