import { z } from "zod";
import { normalizePhone } from "../contacts/phone";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { queueOutbound } from "./queue-message";

const Card = z.object({
  name: z.string().trim().min(1, "name: required").max(200),
  phones: z.array(z.string().trim().min(8).max(30)).min(1, "phones: at least one").max(5),
  email: z.string().trim().email().max(200).optional(),
  company: z.string().trim().max(200).optional(),
});

export const SendContactInput = z.object({
  conversationId: z.string().uuid(),
  contacts: z.array(Card).min(1).max(10),
  replyToId: z.string().uuid().optional(),
});
export type SendContactInput = z.infer<typeof SendContactInput>;

/**
 * Shares contact cards. Each phone is normalised to E.164 (default region) and carries its
 * WhatsApp id, so the customer gets "Message"/"Save" buttons instead of an invitation.
 */
export async function queueContactMessage(ctx: CoreContext, actor: Actor, raw: SendContactInput) {
  const input = SendContactInput.parse(raw);
  const contacts = input.contacts.map((card, i) => {
    const phones = card.phones.map((phone, j) => {
      const normalized = normalizePhone(phone, ctx.config.defaultRegion);
      if (!normalized) {
        throw new DomainError("PHONE_INVALID", `contacts[${i}].phones[${j}]: not a phone number`, {
          field: `contacts.${i}.phones.${j}`,
        });
      }
      return { phone: normalized.e164, waId: normalized.key, type: "CELL" };
    });
    const shared: Record<string, unknown> = { name: card.name, phones };
    if (card.email) shared.emails = [card.email];
    if (card.company) shared.company = card.company;
    return shared;
  });
  return queueOutbound(ctx, actor, input.conversationId, {
    type: "contacts",
    body: input.contacts.map((c) => c.name).join(", "),
    media: null,
    replyToId: input.replyToId,
    content: { contacts },
  });
}
