import { conversations, messages, users } from "@elsehu/db";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { readableBy } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/**
 * The customer panel's "Notas": the internal notes written in a contact's
 * conversations, newest first (at most 50), from the conversations `viewer`
 * may read (`readableBy`: for an operator his own and the customer history it
 * allows, never other customers' or other numbers'). An operator who may read
 * none of the contact's conversations gets CONTACT_NOT_YOURS, as `contacts.get`.
 */
export async function listContactNotes(ctx: Pick<CoreContext, "db">, viewer: Actor, contactId: string) {
  const readable = and(eq(conversations.contactId, contactId), readableBy(viewer));
  if (viewer.role === "OPERATOR") {
    const [any] = await ctx.db.select({ id: conversations.id }).from(conversations).where(readable).limit(1);
    if (!any) throw new DomainError("CONTACT_NOT_YOURS", "You can only read contacts of your conversations");
  }
  return (
    ctx.db
      .select({
        id: messages.id,
        conversationId: messages.conversationId,
        protocol: conversations.protocol,
        body: messages.body,
        authorName: users.name,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .leftJoin(users, eq(users.id, messages.authorId))
      // A literal (not a parameter), as messages_notes_idx's predicate, so each conversation's notes come from that index.
      .where(and(readable, sql`${messages.type} = 'note'`, isNull(messages.deletedAt)))
      .orderBy(desc(messages.createdAt), desc(messages.seq))
      .limit(50)
  );
}
