import { contactIdentities, contacts } from "@elsehu/db";
import { type MessageSender, normalizePhone } from "@elsehu/providers";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { foldText } from "../contacts/search-text";
import type { Tx } from "../shared/context";
import { bug } from "../shared/errors";

type Kind = "wa_id" | "bsuid" | "jid" | "lid";

export function searchTextOf(parts: Array<string | null | undefined>): string {
  return parts
    .filter(Boolean)
    .join(" ")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

/** The provider identities a sender carries, in the order they are matched. */
export function senderIdentities(from: MessageSender): Array<{ kind: Kind; externalId: string }> {
  const ids: Array<{ kind: Kind; externalId: string }> = [];
  if (from.waId) ids.push({ kind: "wa_id", externalId: from.waId });
  if (from.bsuid) ids.push({ kind: "bsuid", externalId: from.bsuid });
  if (from.jid) ids.push({ kind: "jid", externalId: from.jid });
  if (from.lid) ids.push({ kind: "lid", externalId: from.lid });
  return ids;
}

/**
 * The contact behind a provider sender, created when new. Matched first by any
 * provider identity (wa_id, BSUID, JID, @lid), then by canonical phone; every
 * identity seen is recorded so a later message carrying only one of them (a Meta
 * user who hides his number, an Evolution @lid) still finds the same contact.
 */
export async function upsertSender(tx: Tx, provider: "META" | "EVOLUTION", from: MessageSender): Promise<string> {
  const ids = senderIdentities(from);
  const phone = from.phone ? normalizePhone(from.phone) : null;
  if (ids.length === 0 && !phone) throw bug("sender without any identity");

  let contactId: string | undefined;
  let known: Array<{ contactId: string; kind: string; externalId: string }> = [];
  if (ids.length > 0) {
    known = await tx
      .select({
        contactId: contactIdentities.contactId,
        kind: contactIdentities.kind,
        externalId: contactIdentities.externalId,
      })
      .from(contactIdentities)
      .where(
        and(
          eq(contactIdentities.provider, provider),
          or(
            ...ids.map((i) => and(eq(contactIdentities.kind, i.kind), eq(contactIdentities.externalId, i.externalId))),
          ),
        ),
      );
    contactId = known[0]?.contactId;
  }
  if (!contactId && phone) {
    const [row] = await tx
      .insert(contacts)
      .values({
        phone: phone.e164,
        phoneKey: phone.key,
        name: from.name,
        searchText: searchTextOf([from.name, phone.key]),
      })
      .onConflictDoUpdate({ target: contacts.phoneKey, set: { updatedAt: sql`contacts.updated_at` } })
      .returning({ id: contacts.id });
    contactId = row?.id;
  }
  if (!contactId) {
    // Only a hidden-number id: a contact without phone.
    const [row] = await tx
      .insert(contacts)
      .values({ name: from.name, searchText: searchTextOf([from.name]) })
      .returning({ id: contacts.id });
    contactId = row?.id;
  }
  if (!contactId) throw bug("contact upsert returned nothing");
  const missing = ids.filter((i) => !known.some((k) => k.kind === i.kind && k.externalId === i.externalId));
  if (missing.length > 0) {
    await tx
      .insert(contactIdentities)
      .values(missing.map((i) => ({ contactId: contactId as string, provider, ...i })))
      .onConflictDoNothing();
  }
  // Fill a name we did not know yet (an imported contact, or one an operator started by number, writing
  // first); never overwrite one. search_text keeps its e-mail and phone parts (tab-separated, buildSearchText).
  if (from.name) {
    const folded = foldText(from.name).replace(/\s+/g, " ");
    await tx
      .update(contacts)
      .set({
        name: from.name,
        searchText: sql`case when position(E'\t' in ${contacts.searchText}) > 0
          then ${folded} || E'\t' || split_part(${contacts.searchText}, E'\t', 2) || E'\t' || split_part(${contacts.searchText}, E'\t', 3)
          else ${searchTextOf([from.name, phone?.key])} end`,
      })
      .where(and(eq(contacts.id, contactId), isNull(contacts.name)));
  }
  return contactId;
}
