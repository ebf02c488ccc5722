import type { CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { iso } from "./sql-time";

export type CampaignStats = {
  campaignId: string;
  status: string;
  total: number;
  pending: number;
  /** Claimed, provider call in progress. */
  sending: number;
  /** Accepted by the provider (includes delivered and read). */
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  skippedOptedOut: number;
  /** CSV rows refused (bad phone, duplicates): reported by the upload, never recipients. */
  skippedInvalid: number;
  /** The worker died during the provider call: maybe sent, never retried. */
  unknown: number;
  replied: number;
  /** Provider calls started in the last minute. */
  currentRatePerMinute: number;
  /** Pending / rate, ignoring sending windows and daily caps; null when not running. */
  estimatedEndAt: Date | null;
};

/** Counts by status in one grouped query over the (campaign_id, status) index. */
export async function campaignStats(ctx: CoreContext, campaignId: string): Promise<CampaignStats> {
  const now = ctx.now();
  const [campaign] = await ctx.sql<{ status: string; pace: number; rate: number }[]>`
    select c.status, c.pace_per_minute as pace, i.send_rate_per_second as rate
    from campaigns c join service_instances i on i.id = c.instance_id where c.id = ${campaignId}`;
  if (!campaign) throw notFound("Campaign");
  const rows = await ctx.sql<{ status: string; n: number; replied: number; opted: number; recent: number }[]>`
    select status, count(*)::int as n, count(replied_at)::int as replied,
      count(*) filter (where reason = 'opted_out')::int as opted,
      count(*) filter (where attempted_at > ${iso(new Date(now.getTime() - 60_000))}::timestamptz)::int as recent
    from campaign_recipients where campaign_id = ${campaignId} group by status`;
  const [imports] = await ctx.sql<{ invalid: number }[]>`
    select coalesce(sum(invalid), 0)::int as invalid from imports where campaign_id = ${campaignId}`;
  const by = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
  const pending = by("PENDING");
  const recent = sum((r) => (r.status === "PENDING" || r.status === "SKIPPED" ? 0 : r.recent));
  const configured = campaign.pace > 0 ? Math.min(campaign.pace, campaign.rate * 60) : campaign.rate * 60;
  const rate = recent > 0 ? recent : configured;
  const running = campaign.status === "RUNNING" || campaign.status === "SCHEDULED";
  return {
    campaignId,
    status: campaign.status,
    total: sum((r) => r.n),
    pending,
    sending: by("SENDING"),
    sent: by("SENT") + by("DELIVERED") + by("READ"),
    delivered: by("DELIVERED") + by("READ"),
    read: by("READ"),
    failed: by("FAILED"),
    skipped: by("SKIPPED"),
    skippedOptedOut: sum((r) => (r.status === "SKIPPED" ? r.opted : 0)),
    skippedInvalid: imports?.invalid ?? 0,
    unknown: by("UNKNOWN"),
    replied: sum((r) => r.replied),
    currentRatePerMinute: recent,
    estimatedEndAt: running && pending > 0 && rate > 0 ? new Date(now.getTime() + (pending / rate) * 60_000) : null,
  };
}
