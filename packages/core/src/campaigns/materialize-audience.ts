import { campaignRecipients, contacts } from "@elsehu/db";
import { and, arrayContains, arrayOverlaps, asc, gt, isNotNull, isNull } from "drizzle-orm";
import type { Tx } from "../shared/context";
import type { CampaignAudience } from "./create-campaign";
import { resolveValues } from "./variable-sources";

const BATCH = 1000;

/**
 * Snapshots a tag audience into recipients when the campaign starts, resolving each
 * contact's variable values once. Idempotent (unique campaign+phone). Opted-out
 * contacts are added too, so they are counted as skipped rather than silently missing.
 */
export async function materializeContactsAudience(
  tx: Tx,
  campaignId: string,
  audience: Extract<CampaignAudience, { kind: "contacts" }>,
  mapping: Record<string, string>,
): Promise<number> {
  const tagFilter =
    audience.match === "all"
      ? arrayContains(contacts.tags, audience.tags)
      : arrayOverlaps(contacts.tags, audience.tags);
  let after = "00000000-0000-0000-0000-000000000000";
  let added = 0;
  for (;;) {
    const rows = await tx
      .select()
      .from(contacts)
      .where(and(tagFilter, isNotNull(contacts.phone), isNull(contacts.erasedAt), gt(contacts.id, after)))
      .orderBy(asc(contacts.id))
      .limit(BATCH);
    const last = rows.at(-1);
    if (!last) return added;
    after = last.id;
    const values = rows.flatMap((c) =>
      c.phone
        ? [
            {
              campaignId,
              contactId: c.id,
              phone: c.phone,
              variables: resolveValues(mapping, {
                contact: { name: c.name, email: c.email, phone: c.phone, customFields: c.customFields },
              }),
            },
          ]
        : [],
    );
    const inserted = await tx
      .insert(campaignRecipients)
      .values(values)
      .onConflictDoNothing()
      .returning({ id: campaignRecipients.id });
    added += inserted.length;
  }
}
