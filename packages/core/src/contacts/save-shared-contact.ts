import { contacts, messages } from "@elsehu/db";
import type { SharedContact } from "@elsehu/providers";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { lockForAction } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { buildSearchText } from "./search-text";
import { publicContact, requirePhone } from "./shape";

export const SaveSharedContactInput = z.object({
  messageId: z.string().uuid(),
  /** Which card of the message (a message may share several). */
  index: z.number().int().min(0).max(49).default(0),
});
export type SaveSharedContactInput = z.input<typeof SaveSharedContactInput>;

/**
 * "Salvar contato" on a shared contact card: the card's person becomes a contact (name
 * and first phone, WhatsApp id preferred), or the contact already holding that phone
 * takes the card's name. Staff, or the operator the conversation is assigned to.
 */
export async function saveSharedContact(ctx: CoreContext, actor: Actor, raw: SaveSharedContactInput) {
  const input = SaveSharedContactInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, input.messageId));
    if (!message) throw notFound("Message");
    await lockForAction(tx, actor, message.conversationId);
    const cards = (message.deletedAt ? undefined : message.content?.contacts) as SharedContact[] | undefined;
    const card = cards?.[input.index];
    if (!card)
      throw new DomainError("CONTACT_CARD_UNKNOWN", "index: this message has no such contact card", { field: "index" });
    const first = card.phones.find((p) => p.waId) ?? card.phones[0];
    if (!first) {
      throw new DomainError("CONTACT_CARD_NO_PHONE", "This contact card has no phone number");
    }
    const phone = requirePhone(first.waId ? `+${first.waId}` : first.phone, ctx.config.defaultRegion);
    const name = card.name.slice(0, 200);
    const now = ctx.now();
    const [row] = await tx
      .insert(contacts)
      .values({
        phone: phone.e164,
        phoneKey: phone.key,
        name,
        email: card.emails?.[0]?.slice(0, 320) ?? null,
        searchText: buildSearchText({ name, email: card.emails?.[0], phone: phone.e164 }),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: contacts.phoneKey,
        set: {
          name,
          updatedAt: now,
          searchText: sql`${buildSearchText({ name, phone: phone.e164 })} || coalesce(' ' || lower(contacts.email), '')`,
        },
      })
      .returning();
    if (!row) throw new Error("contact upsert returned nothing");
    return { contact: publicContact(row), created: row.createdAt.getTime() === now.getTime() };
  });
}
