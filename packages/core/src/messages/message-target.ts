import { conversations, messages } from "@elsehu/db";
import { and, eq } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { RetryLater } from "./message-events";

/**
 * The message a reaction, edit or deletion refers to, row-locked, with its conversation's
 * operator (the event's audience). Not stored (yet): retried while attempts remain, since
 * it may be in a webhook still to be applied; on the last attempt, null (nothing to change).
 */
export async function lockTargetMessage(tx: Tx, instanceId: string, providerMessageId: string, finalAttempt: boolean) {
  const [row] = await tx
    .select({ message: messages, operatorId: conversations.operatorId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.instanceId, instanceId), eq(messages.providerMessageId, providerMessageId)))
    .for("update", { of: messages });
  if (row) return row;
  if (!finalAttempt) throw new RetryLater(`message ${providerMessageId} is not stored yet`);
  return null;
}
