import { conversations } from "@elsehu/db";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

type ConversationRef = { id: string };

/**
 * Called by the message pipeline in the transaction that stores an inbound
 * message: last inbound/last message only move forward (late or replayed
 * webhooks never move them back) and the unread count grows.
 */
export async function onInboundMessage(tx: Tx, conversation: ConversationRef, at: Date): Promise<void> {
  await tx
    .update(conversations)
    .set({
      lastInboundAt: sql`greatest(${conversations.lastInboundAt}, ${at.toISOString()}::timestamptz)`,
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at.toISOString()}::timestamptz)`,
      unreadCount: sql`${conversations.unreadCount} + 1`,
    })
    .where(eq(conversations.id, conversation.id));
}

/**
 * Called when an operator (a human, not a campaign or bot) sends a message:
 * the first response is recorded once, the last message moves forward.
 */
export async function onOutboundHumanMessage(tx: Tx, conversation: ConversationRef, at: Date): Promise<void> {
  await tx
    .update(conversations)
    .set({
      firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, ${at.toISOString()}::timestamptz)`,
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${at.toISOString()}::timestamptz)`,
    })
    .where(eq(conversations.id, conversation.id));
}
