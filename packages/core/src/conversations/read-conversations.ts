import { contacts, conversations, users } from "@elsehu/db";
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { addJob } from "../jobs/add-job";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { isStaff, lockForAction, readableBy, withoutOthersNotes } from "./access";
import { conversationColumns, shapeConversation } from "./shape";

const base = (ctx: Pick<CoreContext, "db">) =>
  ctx.db
    .select(conversationColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.operatorId));

/** One conversation, if `viewer` may read it (FORBIDDEN when it exists but is someone else's). */
export async function getConversation(ctx: Pick<CoreContext, "db">, viewer: Actor, id: string) {
  const [row] = await base(ctx).where(and(eq(conversations.id, id), readableBy(viewer)));
  if (row) return withoutOthersNotes(viewer, shapeConversation(row));
  const [exists] = await ctx.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, id));
  throw exists ? new DomainError("CONVERSATION_NOT_YOURS", "This conversation is not yours") : notFound("Conversation");
}

export const QueueInput = z.object({
  limit: z.number().int().min(1).max(500).default(100),
  /** One department's queue; null: the conversations of no department. */
  departmentId: z.string().uuid().nullable().optional(),
});
export type QueueInput = z.input<typeof QueueInput>;

/**
 * The waiting conversations the viewer may see (a limited supervisor: his
 * departments'), oldest first, and how many of them wait in all.
 */
export async function listQueue(ctx: Pick<CoreContext, "db">, viewer: Actor, raw: QueueInput = {}) {
  const input = QueueInput.parse(raw);
  const where = and(
    eq(conversations.status, "WAITING"),
    readableBy(viewer),
    input.departmentId === undefined
      ? undefined
      : input.departmentId === null
        ? isNull(conversations.departmentId)
        : eq(conversations.departmentId, input.departmentId),
  );
  const items = await base(ctx)
    .where(where)
    .orderBy(asc(conversations.queuedAt), asc(conversations.id))
    .limit(input.limit);
  const [total] = await ctx.db.select({ n: count() }).from(conversations).where(where);
  return { items: items.map(shapeConversation), total: total?.n ?? 0 };
}

/** The viewer's open conversations, most recent activity first, with their unread counts. */
export async function myConversations(ctx: Pick<CoreContext, "db">, viewer: Actor) {
  const rows = await base(ctx)
    .where(and(eq(conversations.operatorId, viewer.id), eq(conversations.status, "OPEN")))
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.assignedAt})`), desc(conversations.id));
  return rows.map(shapeConversation);
}

/** Unread counts of the viewer's open conversations. */
export async function unreadCounts(ctx: Pick<CoreContext, "db">, viewer: Actor) {
  return ctx.db
    .select({ conversationId: conversations.id, unreadCount: conversations.unreadCount })
    .from(conversations)
    .where(and(eq(conversations.operatorId, viewer.id), eq(conversations.status, "OPEN")));
}

/** Marks a conversation read: its operator (or staff) resets the unread count. */
export async function markConversationRead(ctx: CoreContext, viewer: Actor, id: string) {
  await ctx.db.transaction(async (tx) => {
    const conv = await lockForAction(tx, viewer, id);
    if (!isStaff(viewer) && conv.status !== "OPEN")
      throw new DomainError("CONVERSATION_NOT_OPEN", "This conversation is not open for you");
    await tx.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, conv.id));
    // Blue ticks only when the customer's own operator reads it, not when a supervisor looks in.
    if (conv.operatorId === viewer.id) {
      await addJob(
        tx,
        "messages/mark_read",
        { conversationId: conv.id },
        { jobKey: `mark_read:${conv.id}`, maxAttempts: 5 },
      );
    }
  });
  return { ok: true };
}
