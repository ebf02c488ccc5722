import { sql as sqlTag } from "drizzle-orm";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Tx } from "../shared/context";
import { containsPattern } from "../shared/like";
import { textArray } from "../shared/sql-arrays";

/**
 * How a person's phone shows up outside the contacts table, for LGPD erasure.
 * `exact`: digit runs found as-is in provider payloads (Meta wa_id, Evolution JID
 * and @lid, business-scoped ids). `national`: the national number (and, for a
 * Brazilian mobile, its old 8-digit form) as people type it in a CSV, matched
 * with separators allowed between the digits ("(11) 98765-4433").
 */
export type PhoneTraces = { exact: string[]; national: string[] };

export function phoneTraces(phone: string | null, identities: string[]): PhoneTraces {
  const exact = new Set<string>();
  const national = new Set<string>();
  for (const id of identities) {
    const local = id.split("@")[0] ?? "";
    if (local.length >= 6) exact.add(local);
  }
  const parsed = phone ? parsePhoneNumberFromString(phone) : undefined;
  if (parsed) {
    const n = parsed.nationalNumber;
    national.add(n);
    exact.add(`${parsed.countryCallingCode}${n}`);
    // Brazilian mobiles registered before the ninth digit: WhatsApp may still use the old form.
    if (parsed.countryCallingCode === "55" && n.length === 11 && n[2] === "9") {
      const old = `${n.slice(0, 2)}${n.slice(3)}`;
      national.add(old);
      exact.add(`55${old}`);
    }
  }
  return { exact: [...exact], national: [...national] };
}

/** A regular expression (Postgres and JS alike) for `digits` with up to 3 separators between digits. */
export function separatedDigits(digits: string): string {
  return digits.split("").join("\\D{0,3}");
}

/**
 * Deletes processed webhook bodies that mention the person. A body still waiting in
 * the inbox may carry other customers' messages too (Meta batches them), so it is
 * applied as usual and emptied by the statement that settles it (erase_when_settled).
 */
export async function eraseWebhookBodies(tx: Tx, traces: PhoneTraces): Promise<void> {
  if (traces.exact.length === 0) return;
  const patterns = textArray(traces.exact.map((d) => `%${d}%`));
  await tx.execute(
    sqlTag`delete from webhook_events where processed_at is not null and body like any(${patterns}::text[])`,
  );
  await tx.execute(sqlTag`
    update webhook_events set erase_when_settled = true
    where processed_at is null and body like any(${patterns}::text[])`);
}

/**
 * The person's campaign memberships keep their row (campaign counts stay right)
 * without phone or variables; one still waiting to be sent is skipped.
 */
export async function eraseCampaignRecipients(tx: Tx, contactId: string, phone: string | null): Promise<void> {
  await tx.execute(sqlTag`
    update campaign_recipients
    set phone = 'erased-' || id, variables = '{}'::jsonb,
      status = case when status = 'PENDING' then 'SKIPPED'::recipient_status else status end,
      reason = case when status = 'PENDING' then 'erased' else reason end
    where contact_id = ${contactId} or phone = ${phone ?? ""}`);
}

/** Import error rows naming the person's phone (any format) or name. */
export async function eraseImportErrors(tx: Tx, traces: PhoneTraces, name: string | null): Promise<void> {
  const regexes = traces.national.map(separatedDigits);
  const byName = name && name.trim().length >= 4 ? containsPattern(name.trim()) : null;
  if (regexes.length === 0 && !byName) return;
  await tx.execute(sqlTag`
    delete from import_errors
    where value ~ any(${textArray(regexes)}::text[]) or (${byName}::text is not null and value ilike ${byName})`);
}

/**
 * Outbound webhook deliveries about the person (their bodies carry his phone,
 * name and texts), sent or not: those of his conversations' lanes and those
 * naming him as their contact.
 */
export async function eraseWebhookDeliveries(tx: Tx, contactId: string): Promise<void> {
  await tx.execute(sqlTag`
    delete from webhook_deliveries
    where contact_id = ${contactId}
      or lane in (select id::text from conversations where contact_id = ${contactId})`);
}
