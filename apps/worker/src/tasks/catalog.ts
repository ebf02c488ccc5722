import type { CronItem, TaskList } from "graphile-worker";
import { purgeExpiredTask } from "./auth/purge-expired";
import { importCsvTask } from "./contacts/import-csv";
import type { TaskDef, TaskDeps } from "./define";

/** Every task the worker runs. */
export const TASKS: TaskDef[] = [purgeExpiredTask, importCsvTask];

/** Recurring jobs, with stable identifiers so restarts and several workers never double-schedule. */
export const CRON: CronItem[] = [
  { task: "auth/purge_expired", match: "7 * * * *", identifier: "auth_purge_expired", options: { backfillPeriod: 0 } },
];

export function buildTaskList(deps: TaskDeps): TaskList {
  return Object.fromEntries(TASKS.map((t) => [t.identifier, t.build(deps)]));
}
