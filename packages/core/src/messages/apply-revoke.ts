import { messages } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { publishMessageUpdated } from "./message-events";
import { lockTargetMessage } from "./message-target";

/**
 * The customer deleted a message for everyone: it is marked deleted ("apagada pelo
 * cliente"). The row keeps its content (an audit copy), but operators no longer get it
 * (listMessages, openMessageMedia). Only the customer's own messages can be revoked.
 */
export async function applyRevoke(
  tx: Tx,
  instanceId: string,
  event: InboundMessage,
  opts: { finalAttempt: boolean },
): Promise<void> {
  const targetId = event.revoke?.targetProviderMessageId;
  if (!targetId) return;
  const target = await lockTargetMessage(tx, instanceId, targetId, opts.finalAttempt);
  if (!target || target.message.deletedAt || target.message.direction !== "IN") return;
  await tx.update(messages).set({ deletedAt: event.timestamp }).where(eq(messages.id, target.message.id));
  await publishMessageUpdated(tx, {
    messageId: target.message.id,
    conversationId: target.message.conversationId,
    operatorId: target.operatorId,
    change: "delete",
  });
}
