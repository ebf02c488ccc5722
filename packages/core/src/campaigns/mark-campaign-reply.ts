import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

/** A reply counts for the campaign that reached the contact on this instance in the last 7 days. */
export const REPLY_ATTRIBUTION_DAYS = 7;

type Row = { campaign_id: string } & Record<string, unknown>;

/**
 * Called by the inbound pipeline (ingestInbound) when a customer's message opens a
 * conversation, in the transaction that stores the message: marks the latest campaign
 * recipient of this contact on this instance as replied (first reply only) and records
 * the campaign on the conversation, so reply rates can be reported. A message inside a
 * conversation that was already active is not a reply to the campaign. Returns the campaign id, or null when no campaign applies.
 */
export async function markCampaignReply(
  tx: Tx,
  input: { contactId: string; instanceId: string; conversationId: string; now?: Date },
): Promise<string | null> {
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - REPLY_ATTRIBUTION_DAYS * 86_400_000);
  const result = await tx.execute<Row>(sql`
    update campaign_recipients set replied_at = coalesce(replied_at, ${now.toISOString()}::timestamptz)
    where id = (
      select r.id from campaign_recipients r join campaigns c on c.id = r.campaign_id
      where r.contact_id = ${input.contactId} and c.instance_id = ${input.instanceId}
        and r.status in ('SENT', 'DELIVERED', 'READ', 'UNKNOWN')
        and r.attempted_at >= ${since.toISOString()}::timestamptz
      order by r.attempted_at desc limit 1)
    returning campaign_id`);
  const campaignId = result[0]?.campaign_id ?? null;
  if (campaignId) {
    await tx.execute(sql`update conversations set campaign_id = coalesce(campaign_id, ${campaignId}::uuid)
      where id = ${input.conversationId}`);
  }
  return campaignId;
}
