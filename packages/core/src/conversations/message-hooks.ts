import { touchConversation } from "../messages/touch-conversation";
import type { Tx } from "../shared/context";

type ConversationRef = { id: string };

/**
 * The conversation side of storing an inbound message (see touchConversation):
 * last inbound/last message only move forward and the unread count grows.
 */
export function onInboundMessage(tx: Tx, conversation: ConversationRef, at: Date): Promise<void> {
  return touchConversation(tx, conversation.id, { direction: "IN", at, human: false });
}

/** An operator (a human, not a campaign or bot) sent a message: the first response is recorded once. */
export function onOutboundHumanMessage(tx: Tx, conversation: ConversationRef, at: Date): Promise<void> {
  return touchConversation(tx, conversation.id, { direction: "OUT", at, human: true });
}
