import type { DeliveryStatus } from "@elsehu/providers";
import type { CoreContext } from "../shared/context";
import { idArray } from "../shared/sql-arrays";
import { iso } from "./sql-time";

export type CampaignStatusInput = {
  instanceId: string;
  providerMessageId: string;
  status: DeliveryStatus;
  error?: { code: string; message: string };
};

/**
 * Called by the webhook pipeline (applyEvent) for a status that matched none of the
 * chat's messages: applies it to the campaign recipient holding that provider message id. Forward only (sent < delivered < read; a late
 * "delivered" never undoes "read"). "failed" keeps the provider's code and words.
 * A status for an UNKNOWN recipient proves the message did go out, so it moves on too.
 *
 * "not_found" also happens when a webhook outruns the worker recording the send:
 * the caller should retry such statuses shortly (as for its own outbound messages).
 */
export async function applyCampaignStatus(
  ctx: CoreContext,
  input: CampaignStatusInput,
): Promise<"applied" | "stale" | "not_found"> {
  const now = ctx.now();
  const target = input.status === "played" ? "read" : input.status;
  const found = await ctx.sql<{ id: string; status: string }[]>`
    select r.id::text as id, r.status from campaign_recipients r join campaigns c on c.id = r.campaign_id
    where r.provider_message_id = ${input.providerMessageId} and c.instance_id = ${input.instanceId}`;
  if (found.length === 0) return "not_found";
  const ids = found.map((r) => r.id);
  let updated: { id: string }[];
  if (target === "failed") {
    updated = await ctx.sql`
      update campaign_recipients set status = 'FAILED', error_code = ${input.error?.code ?? "FAILED"},
        reason = ${input.error?.message ?? "failed"}
      where id = any(${idArray(ids.map(Number))}::bigint[]) and status in ('SENDING', 'UNKNOWN', 'SENT') returning id`;
  } else {
    const rank = { sent: 1, delivered: 2, read: 3 }[target];
    const status = target.toUpperCase();
    updated = await ctx.sql`
      update campaign_recipients set status = ${status}::recipient_status,
        sent_at = coalesce(sent_at, ${iso(now)}::timestamptz),
        delivered_at = case when ${rank} >= 2 then coalesce(delivered_at, ${iso(now)}::timestamptz) else delivered_at end,
        read_at = case when ${rank} >= 3 then coalesce(read_at, ${iso(now)}::timestamptz) else read_at end,
        reason = case when status = 'UNKNOWN' then null else reason end,
        error_code = case when status = 'UNKNOWN' then null else error_code end
      where id = any(${idArray(ids.map(Number))}::bigint[])
        and (case status when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3
             when 'FAILED' then 99 else 0 end) < ${rank}
      returning id`;
  }
  return updated.length > 0 ? "applied" : "stale";
}
