import { normalizePhone } from "@elsehu/providers";
import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

/**
 * Meta's `user_changed_number` notice: the customer behind `oldWaId` now uses `newWaId`.
 * His identity is re-keyed (the new wa_id routes his messages to the same contact) and
 * the contact's phone follows, unless another contact already holds that number (then
 * only the identity moves; an admin may merge them). Safe to run twice.
 */
export async function changeContactNumber(
  tx: Tx,
  input: { provider: "META" | "EVOLUTION"; oldWaId: string; newWaId: string },
): Promise<string | null> {
  const rows = await tx.execute<{ contact_id: string }>(sql`
    select contact_id from contact_identities
    where provider = ${input.provider} and kind = 'wa_id' and external_id in (${input.oldWaId}, ${input.newWaId})
    order by (external_id = ${input.oldWaId}) desc limit 1`);
  const contactId = rows[0]?.contact_id;
  if (!contactId) return null;
  await tx.execute(sql`
    update contact_identities set external_id = ${input.newWaId}
    where provider = ${input.provider} and kind = 'wa_id' and external_id = ${input.oldWaId}
      and not exists (select 1 from contact_identities x
        where x.provider = ${input.provider} and x.kind = 'wa_id' and x.external_id = ${input.newWaId})`);
  const phone = normalizePhone(`+${input.newWaId}`);
  if (phone) {
    await tx.execute(sql`
      update contacts set phone = ${phone.e164}, phone_key = ${phone.key}, updated_at = now(),
        search_text = trim(both ' ' from replace(search_text, coalesce(phone_key, ''), '') || ' ' || ${phone.key})
      where id = ${contactId} and erased_at is null
        and not exists (select 1 from contacts o where o.phone_key = ${phone.key} and o.id <> ${contactId})`);
  }
  return contactId;
}
