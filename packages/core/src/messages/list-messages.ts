import { messages, users } from "@elsehu/db";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { isStaff } from "../conversations/access";
import { getConversation } from "../conversations/read-conversations";
import type { Actor, CoreContext } from "../shared/context";

export const ListMessagesInput = z.object({
  conversationId: z.string().uuid(),
  /** `nextCursor` of the previous page (a message id). */
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListMessagesInput = z.input<typeof ListMessagesInput>;

/**
 * Messages of a conversation `viewer` may read, newest first; `nextCursor` pages to older
 * ones (two of one second in the order they came). A message the customer deleted comes without its content to operators.
 */
export async function listMessages(ctx: Pick<CoreContext, "db">, viewer: Actor, raw: ListMessagesInput) {
  const input = ListMessagesInput.parse(raw);
  await getConversation(ctx, viewer, input.conversationId);
  const where: SQL[] = [eq(messages.conversationId, input.conversationId)];
  if (input.cursor) {
    // Compare against the stored row: timestamps have microseconds a JS Date would lose. The plain bound lets
    // messages_conversation_idx start at the cursor's time.
    const at = sql`(select m2.created_at from messages m2 where m2.id = ${input.cursor})`;
    where.push(
      sql`${messages.createdAt} <= ${at}`,
      sql`(${messages.createdAt}, ${messages.seq}) < (select m2.created_at, m2.seq from messages m2 where m2.id = ${input.cursor})`,
    );
  }
  const rows = await ctx.db
    .select({ m: messages, authorName: users.name })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(and(...where))
    .orderBy(desc(messages.createdAt), desc(messages.seq))
    .limit(input.limit + 1);
  const page = rows.map((r) => ({ ...r.m, authorName: r.authorName })).slice(0, input.limit);
  const last = page[page.length - 1];
  // A message the customer deleted keeps its content on record, for staff only.
  const hide = (m: (typeof page)[number]) => m.deletedAt !== null && !isStaff(viewer);
  return {
    items: page.map((m) => ({
      id: m.id,
      conversationId: m.conversationId,
      direction: m.direction,
      type: m.type,
      body: hide(m) ? null : m.body,
      media: hide(m) ? null : m.media,
      content: hide(m) ? null : m.content,
      reaction: m.reaction,
      editedAt: m.editedAt,
      editHistory: hide(m) ? null : m.editHistory,
      deletedAt: m.deletedAt,
      status: m.status,
      errorCode: m.errorCode,
      errorMessage: m.errorMessage,
      authorId: m.authorId,
      /** Who wrote it (an operator's reply or internal note); null for the customer's messages. */
      authorName: m.authorName,
      replyToId: m.replyToId,
      createdAt: m.createdAt,
      /** Insertion order: the tie-break of two messages of one second (providers stamp whole seconds). */
      seq: m.seq,
      sentAt: m.sentAt,
      deliveredAt: m.deliveredAt,
      readAt: m.readAt,
    })),
    nextCursor: rows.length > input.limit && last ? last.id : null,
  };
}
