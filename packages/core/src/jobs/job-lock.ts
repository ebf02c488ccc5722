import { RetryLater } from "../messages/message-events";
import type { CoreContext } from "../shared/context";

/** The part of a graphile-worker job that says who holds it. */
export type JobLock = { id: string; locked_by: string | null };

/**
 * graphile completes a job by deleting it by id, whoever holds it by then. A tick whose
 * runner was replaced during a database outage can find its job unlocked, or taken up by
 * another runner, and may have moved the campaign's next tick onto it: completing would
 * delete that next tick. Failing instead changes nothing (graphile fails a job only under
 * its own lock), so the job runs again. resumeStalledCampaigns is the net behind this.
 * Reads graphile-worker's private table: kept in core's jobs/, next to addJob.
 */
export async function ensureStillOurs(core: Pick<CoreContext, "sql">, job: JobLock): Promise<void> {
  const [row] = await core.sql<{ locked_by: string | null }[]>`
    select locked_by from graphile_worker._private_jobs where id = ${job.id}`;
  if (row && row.locked_by !== job.locked_by) {
    throw new RetryLater("this tick's job was taken over by another runner: not completing it");
  }
}
