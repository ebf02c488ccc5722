import type { TransactionSql } from "postgres";
import { addJob } from "../jobs/add-job";
import type { ASSIGNMENT_REASONS } from "../jobs/catalog";
import type { Tx } from "../shared/context";

/**
 * Every verb that can add to an operator's capacity or to the queue takes this
 * transaction-scoped advisory lock before counting open conversations, so
 * capacity checks never race each other (see assignWaiting).
 */
export const ASSIGNMENT_LOCK = 72_700_401;

/** Why the queue-draining job was asked for; the list is the job catalog's. */
export type AssignmentReason = (typeof ASSIGNMENT_REASONS)[number];

/** Adds the queue-draining job in the caller's transaction: it runs only if the change commits. */
export async function requestAssignment(
  tx: Tx | TransactionSql,
  reason: AssignmentReason,
  opts: { conversationId?: string } = {},
): Promise<void> {
  if (reason === "retry") {
    // One pending retry is enough: later failed attempts fold into it. It runs at once and waits
    // for the lock, so it starts right after the holder; graphile-worker creates a fresh job when
    // the keyed one is already running, so an attempt that failed after the retry began is not lost.
    await addJob(
      tx,
      "conversations/assign_waiting",
      { reason },
      { jobKey: "conversations/assign_waiting:retry", jobKeyMode: "preserve_run_at" },
    );
    return;
  }
  await addJob(tx, "conversations/assign_waiting", { reason, conversationId: opts.conversationId });
}
