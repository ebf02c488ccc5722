import type { CronItem, TaskList } from "graphile-worker";
import { purgeExpiredTask } from "./auth/purge-expired";
import type { TaskDef, TaskDeps } from "./define";
import { processWebhookTask } from "./messages/process-webhook";
import { sendMessageTask } from "./messages/send-message";

/** Every task the worker runs. */
export const TASKS: TaskDef[] = [purgeExpiredTask, processWebhookTask, sendMessageTask];

/** Recurring jobs, with stable identifiers so restarts and several workers never double-schedule. */
export const CRON: CronItem[] = [
  { task: "auth/purge_expired", match: "7 * * * *", identifier: "auth_purge_expired", options: { backfillPeriod: 0 } },
];

export function buildTaskList(deps: TaskDeps): TaskList {
  return Object.fromEntries(TASKS.map((t) => [t.identifier, t.build(deps)]));
}
