import { addJob } from "../jobs/add-job";
import type { Tx } from "../shared/context";
import { ASSIGN_JOB } from "./find-or-open";

/**
 * Every verb that can add to an operator's capacity or to the queue takes this
 * transaction-scoped advisory lock before counting open conversations, so
 * capacity checks never race each other (see assignWaiting).
 */
export const ASSIGNMENT_LOCK = 72_700_401;

export type AssignmentReason =
  | "created"
  | "online"
  | "unpaused"
  | "closed"
  | "expired"
  | "queued"
  | "reopened"
  | "retry"
  | "cron";

/** Adds the queue-draining job in the caller's transaction: it runs only if the change commits. */
export async function requestAssignment(
  tx: Tx,
  reason: AssignmentReason,
  opts: { conversationId?: string; retryAt?: Date } = {},
): Promise<void> {
  if (opts.retryAt) {
    // One pending retry is enough: later failed attempts fold into it.
    await addJob(
      tx,
      ASSIGN_JOB,
      { reason },
      { jobKey: `${ASSIGN_JOB}:retry`, jobKeyMode: "preserve_run_at", runAt: opts.retryAt },
    );
    return;
  }
  await addJob(tx, ASSIGN_JOB, { reason, conversationId: opts.conversationId });
}
