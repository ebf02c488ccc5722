import { contactIdentities, contacts, conversations, messages } from "@elsehu/db";
import { eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";

/**
 * LGPD erasure. The row (and its id) stays so conversation and message counts in
 * reports remain right, but everything that identifies the person is removed:
 * name, phone, phone key, email, tags, custom fields, search text, provider
 * identities, and the bodies/media/content of every message of his conversations.
 * Irreversible; erasing twice is a no-op.
 */
export async function eraseContact(ctx: Pick<CoreContext, "db" | "now">, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id)).for("update");
    if (!row) throw notFound("Contact");
    const now = ctx.now();
    await tx
      .update(contacts)
      .set({
        name: null,
        phone: null,
        phoneKey: null,
        email: null,
        tags: [],
        customFields: {},
        searchText: "",
        erasedAt: sql`coalesce(${contacts.erasedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(eq(contacts.id, id));
    await tx.delete(contactIdentities).where(eq(contactIdentities.contactId, id));
    const convs = tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.contactId, id));
    await tx
      .update(messages)
      .set({ body: null, media: null, content: null })
      .where(inArray(messages.conversationId, convs));
    await recordAudit(tx, { actorId: actor.id, action: "contact.erase", targetType: "contact", targetId: id });
    return { id, erasedAt: now };
  });
}
