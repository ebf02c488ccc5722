import { contacts } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { recordContactChange } from "./contact-change";
import { buildSearchText } from "./search-text";
import { ContactFields, cleanTags, publicContact, requirePhone } from "./shape";

export const CreateContactInput = ContactFields.extend({ phone: z.string().trim().min(1).max(40) });
export type CreateContactInput = z.input<typeof CreateContactInput>;

/** Creates a contact; a phone already known (in any format) is a CONFLICT naming the existing contact. */
/** Audited as `contact.create` with the names of the fields given (never their values). */
export async function createContact(
  ctx: Pick<CoreContext, "db" | "now" | "config">,
  actor: Actor,
  raw: CreateContactInput,
) {
  const input = CreateContactInput.parse(raw);
  const phone = requirePhone(input.phone, ctx.config.defaultRegion);
  const now = ctx.now();
  try {
    const row = await ctx.db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(contacts)
        .values({
          phone: phone.e164,
          phoneKey: phone.key,
          name: input.name ?? null,
          email: input.email ?? null,
          tags: cleanTags(input.tags ?? []),
          customFields: input.customFields ?? {},
          searchText: buildSearchText({ name: input.name, email: input.email, phone: phone.e164 }),
          optedOutAt: input.optedOut ? now : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!inserted) throw bug("contact insert returned nothing");
      await recordContactChange(tx, actor, "contact.created", inserted.id, raw);
      return inserted;
    });
    return publicContact(row);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const [existing] = await ctx.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.phoneKey, phone.key));
    throw new DomainError("PHONE_TAKEN", `phone: a contact with ${phone.e164} already exists`, {
      field: "phone",
      contactId: existing?.id,
    });
  }
}
