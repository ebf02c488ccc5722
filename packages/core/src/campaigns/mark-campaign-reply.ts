import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

/** A reply counts for the campaign that reached the contact on this instance in the last 7 days. */
export const REPLY_ATTRIBUTION_DAYS = 7;

/** Earliest send a reply at `now` is attributed to. */
export const attributionStart = (now: Date) => new Date(now.getTime() - REPLY_ATTRIBUTION_DAYS * 86_400_000);

type Row = { campaign_id: string; first: boolean } & Record<string, unknown>;

/**
 * Called by the inbound pipeline (ingestInbound) for every customer message, in the
 * transaction that stores it. The latest campaign recipient of this contact on this
 * instance (sent in the attribution window) counts as replied from the customer's
 * first message after it, whether that message opens a conversation or lands in one
 * already open (ingestPlainInbound does the same for its messages). The conversation
 * records the campaign when the message opens it, or when it is that first reply.
 * Returns the campaign id, or null when no campaign applies.
 */
export async function markCampaignReply(
  tx: Tx,
  input: { contactId: string; instanceId: string; conversationId: string; opened: boolean; now?: Date },
): Promise<string | null> {
  const now = input.now ?? new Date();
  const result = await tx.execute<Row>(sql`
    with latest as (
      select r.id, r.campaign_id, r.replied_at from campaign_recipients r join campaigns c on c.id = r.campaign_id
      where r.contact_id = ${input.contactId} and c.instance_id = ${input.instanceId}
        and r.status in ('SENT', 'DELIVERED', 'READ', 'UNKNOWN')
        and r.attempted_at >= ${attributionStart(now).toISOString()}::timestamptz
      order by r.attempted_at desc limit 1
    ), marked as (
      update campaign_recipients r set replied_at = ${now.toISOString()}::timestamptz
      from latest l where r.id = l.id and l.replied_at is null
      returning r.id
    )
    select campaign_id, exists (select 1 from marked) as first from latest`);
  const row = result[0];
  if (!row) return null;
  if (input.opened || row.first) {
    await tx.execute(sql`update conversations set campaign_id = coalesce(campaign_id, ${row.campaign_id}::uuid)
      where id = ${input.conversationId}`);
  }
  return row.campaign_id;
}
