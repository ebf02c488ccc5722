import { contacts, serviceInstances } from "@elsehu/db";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { buildSearchText } from "../contacts/search-text";
import { requirePhone } from "../contacts/shape";
import { findOrOpenConversation } from "../conversations/find-or-open";
import type { Actor, Tx } from "../shared/context";
import { bug, DomainError } from "../shared/errors";

/** A send addressed to a phone on one WhatsApp number instead of a conversation (public API). */
export const PhoneTarget = z.object({
  phone: z.string().trim().min(3).max(40),
  instanceId: z.string().uuid(),
});
export type PhoneTarget = z.infer<typeof PhoneTarget>;

/**
 * The active conversation of `phone` on the number, opened (contact created
 * when new) if there is none. Staff only: an operator writes to his own
 * conversations. Runs in the send's transaction, so a refused send (the
 * 24-hour window of a new conversation) leaves neither contact nor conversation.
 */
export async function conversationForPhone(
  tx: Tx,
  actor: Actor,
  target: PhoneTarget,
  now: Date,
  region: string,
): Promise<string> {
  if (actor.role === "OPERATOR") throw new DomainError("ROLE_FORBIDDEN", "Operators send to their conversations only");
  const [instance] = await tx
    .select({ id: serviceInstances.id })
    .from(serviceInstances)
    .where(eq(serviceInstances.id, target.instanceId));
  if (!instance)
    throw new DomainError("INSTANCE_UNKNOWN", "instanceId: no such WhatsApp number", { field: "instanceId" });
  const phone = requirePhone(target.phone, region);
  const [contact] = await tx
    .insert(contacts)
    .values({
      phone: phone.e164,
      phoneKey: phone.key,
      searchText: buildSearchText({ phone: phone.e164 }),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({ target: contacts.phoneKey, set: { phoneKey: sql`excluded.phone_key` } })
    .returning({ id: contacts.id, erasedAt: contacts.erasedAt });
  if (!contact) throw bug("contact upsert returned nothing");
  if (contact.erasedAt) throw new DomainError("NOT_FOUND", "Contact erased", { what: "Contact" });
  const { conversation } = await findOrOpenConversation(tx, {
    contactId: contact.id,
    instanceId: instance.id,
    now,
  });
  return conversation.id;
}
