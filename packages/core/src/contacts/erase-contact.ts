import { contactIdentities, contacts, conversations, conversationTransfers, messages } from "@elsehu/db";
import { eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { eraseFiles, importFilesOf, mediaKeysOf } from "./erase-files";
import { eraseCampaignRecipients, eraseImportErrors, eraseWebhookBodies, phoneTraces } from "./erase-traces";

/**
 * LGPD erasure. The row (and its id) stays so conversation and message counts in
 * reports remain right, but everything that identifies the person is removed:
 * - the contact's name, phone, phone key, email, tags, custom fields, search text;
 * - his provider identities;
 * - the body, media, content, reaction and edit history of every message of his
 *   conversations (internal notes included), their close and transfer notes, tags and ad referral;
 * - processed webhook bodies that mention his phone or provider ids (pending ones are emptied when they settle);
 * - his campaign memberships' phone and variables (a pending one is skipped);
 * - import error rows naming his phone or name;
 * - after commit, his media files and the CSVs of contact imports (erase-files.ts; a running one at its end).
 * Irreversible; erasing twice is a no-op. tests: apps/api/test/lgpd-erasure.test.ts.
 */
export async function eraseContact(ctx: Pick<CoreContext, "db" | "now" | "config" | "log">, actor: Actor, id: string) {
  const done = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: contacts.id, phone: contacts.phone, name: contacts.name })
      .from(contacts)
      .where(eq(contacts.id, id))
      .for("update");
    if (!row) throw notFound("Contact");
    const now = ctx.now();
    const identities = await tx
      .select({ externalId: contactIdentities.externalId })
      .from(contactIdentities)
      .where(eq(contactIdentities.contactId, id));
    const traces = phoneTraces(
      row.phone,
      identities.map((i) => i.externalId),
    );
    const media = await mediaKeysOf(tx, id);
    const importFiles = await importFilesOf(tx);
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
      .set({ body: null, media: null, content: null, reaction: null, editHistory: null, errorMessage: null })
      .where(inArray(messages.conversationId, convs));
    await tx
      .update(conversations)
      .set({ closeNote: null, referral: null, tags: [] })
      .where(eq(conversations.contactId, id));
    await tx
      .update(conversationTransfers)
      .set({ note: null })
      .where(inArray(conversationTransfers.conversationId, convs));
    await eraseWebhookBodies(tx, traces);
    await eraseCampaignRecipients(tx, id, row.phone);
    await eraseImportErrors(tx, traces, row.name);
    await recordAudit(tx, { actorId: actor.id, action: "contact.erase", targetType: "contact", targetId: id });
    return { result: { id, erasedAt: now }, media, importFiles, traces };
  });
  await eraseFiles(ctx, done.media, done.importFiles, done.traces);
  return done.result;
}
