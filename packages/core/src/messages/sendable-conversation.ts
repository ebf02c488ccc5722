import { conversations, messages, serviceInstances } from "@elsehu/db";
import { and, eq, ne } from "drizzle-orm";
import { assertInScope, departmentScope } from "../departments/department-scope";
import type { Actor, Tx } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";

/** Meta's customer service window: free-form messages only within 24 h of the customer's last message. */
export const CUSTOMER_WINDOW_MS = 24 * 3600 * 1000;

/**
 * The conversation `actor` may write to, with its instance. The assigned operator
 * writes to his OPEN conversation; staff to any active one; no other operator.
 * Meta conversations outside the 24-hour window need a template (`template`:
 * the message is one, so the window does not apply; every other check does).
 */
export async function sendableConversation(
  tx: Tx,
  actor: Actor,
  conversationId: string,
  now: Date,
  opts: { template?: boolean } = {},
) {
  const [row] = await tx
    .select({ conversation: conversations, instance: serviceInstances })
    .from(conversations)
    .innerJoin(serviceInstances, eq(serviceInstances.id, conversations.instanceId))
    .where(eq(conversations.id, conversationId));
  if (!row) throw notFound("Conversation");
  const { conversation, instance } = row;
  if (actor.role === "OPERATOR" && conversation.operatorId !== actor.id)
    throw new DomainError("CONVERSATION_NOT_YOURS", "This conversation is not yours");
  if (actor.role === "OPERATOR" && conversation.status !== "OPEN")
    throw new DomainError("CONVERSATION_NOT_OPEN", "This conversation is not open");
  if (actor.role === "SUPERVISOR") assertInScope(await departmentScope({ db: tx }, actor), conversation.departmentId);
  if (conversation.status !== "OPEN" && conversation.status !== "WAITING") {
    throw new DomainError("CONVERSATION_CLOSED", "This conversation is closed");
  }
  if (!instance.active) throw new DomainError("INSTANCE_DEACTIVATED", "This WhatsApp number is deactivated");
  if (instance.provider === "META" && !opts.template) {
    const last = conversation.lastInboundAt?.getTime();
    if (last === undefined || now.getTime() - last > CUSTOMER_WINDOW_MS) {
      throw new DomainError("TEMPLATE_REQUIRED", "Outside the 24-hour customer window: send a template instead", {
        reason: "TEMPLATE_REQUIRED",
      });
    }
  }
  return { conversation, instance };
}

/** A message being replied to must be in the same conversation, and not an internal note. */
export async function checkReplyTarget(tx: Tx, conversationId: string, replyToId: string | undefined) {
  if (!replyToId) return;
  const [target] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, replyToId), eq(messages.conversationId, conversationId), ne(messages.type, "note")));
  if (!target)
    throw new DomainError("REPLY_TARGET_INVALID", "replyToId: not a message of this conversation", {
      field: "replyToId",
    });
}
