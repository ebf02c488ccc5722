import { messages } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { publishMessageUpdated } from "./message-events";
import { lockTargetMessage } from "./message-target";

/**
 * A customer's reaction is a mark on the message it reacts to, never a message of its
 * own: a later reaction replaces it, an empty one removes it. An older reaction arriving
 * late (webhooks are not ordered) changes nothing.
 */
export async function applyReaction(
  tx: Tx,
  instanceId: string,
  event: InboundMessage,
  opts: { finalAttempt: boolean },
): Promise<void> {
  const reaction = event.reaction;
  if (!reaction?.targetProviderMessageId || event.fromMe) return;
  const target = await lockTargetMessage(tx, instanceId, reaction.targetProviderMessageId, opts.finalAttempt);
  if (!target) return;
  const current = target.message.reaction;
  const at = event.timestamp.toISOString();
  if (current && current.at > at) return;
  const next = reaction.emoji ? { emoji: reaction.emoji, at } : null;
  if (current?.emoji === next?.emoji && (current === null) === (next === null)) return;
  await tx.update(messages).set({ reaction: next }).where(eq(messages.id, target.message.id));
  await publishMessageUpdated(tx, {
    messageId: target.message.id,
    conversationId: target.message.conversationId,
    operatorId: target.operatorId,
    change: "reaction",
  });
}
