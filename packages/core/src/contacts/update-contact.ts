import { contacts } from "@elsehu/db";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { recordContactChange } from "./contact-change";
import { buildSearchText } from "./search-text";
import { ContactFields, cleanTags, publicContact, requirePhone } from "./shape";

export const UpdateContactInput = ContactFields.extend({
  id: z.string().uuid(),
  phone: z.string().trim().min(1).max(40).optional(),
});
export type UpdateContactInput = z.input<typeof UpdateContactInput>;

/**
 * Changes the given fields only; an erased contact cannot be edited back to life.
 * Audited as `contact.update` with the names of the fields given.
 */
export async function updateContact(
  ctx: Pick<CoreContext, "db" | "now" | "config">,
  actor: Actor,
  raw: UpdateContactInput,
) {
  const input = UpdateContactInput.parse(raw);
  const [current] = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, input.id), isNull(contacts.erasedAt)));
  if (!current) throw notFound("Contact");
  const phone = input.phone !== undefined ? requirePhone(input.phone, ctx.config.defaultRegion) : null;
  const name = input.name !== undefined ? input.name : current.name;
  const email = input.email !== undefined ? input.email : current.email;
  const e164 = phone ? phone.e164 : current.phone;
  const now = ctx.now();
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(contacts)
        .set({
          ...(phone ? { phone: phone.e164, phoneKey: phone.key } : {}),
          name,
          email,
          ...(input.tags ? { tags: cleanTags(input.tags) } : {}),
          ...(input.customFields ? { customFields: input.customFields } : {}),
          ...(input.optedOut !== undefined ? { optedOutAt: input.optedOut ? (current.optedOutAt ?? now) : null } : {}),
          searchText: buildSearchText({ name, email, phone: e164 }),
          updatedAt: now,
        })
        .where(eq(contacts.id, input.id))
        .returning();
      if (!updated) throw notFound("Contact");
      await recordContactChange(tx, actor, "contact.updated", updated.id, raw);
      return updated;
    });
    return publicContact(row);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new DomainError("PHONE_TAKEN", `phone: another contact already has ${phone?.e164 ?? "this phone"}`, {
      field: "phone",
    });
  }
}
