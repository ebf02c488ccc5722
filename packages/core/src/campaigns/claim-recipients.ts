import { sql } from "drizzle-orm";
import { publishEvent } from "../events/publish";
import type { CoreContext, Tx } from "../shared/context";
import { transactionKnown } from "../shared/known-commit";
import { idArray } from "../shared/sql-arrays";
import { type InstanceSettingsRow, providerTimeoutMs } from "./provider-for-instance";
import { iso } from "./sql-time";
import { insideWindow, nextWindowOpening, startOfLocalDay, startOfNextLocalDay } from "./zoned-time";

/** Margin over the provider timeout before a SENDING row is declared orphaned. */
export const SENDING_MARGIN_MS = 5_000;
export const WORKER_DIED = "unknown: the worker died during the provider call";

export type ClaimedRecipient = { id: string; phone: string; variables: Record<string, string> };
export type ClaimedCampaign = { id: string; instanceId: string; templateId: string; timezone: string };

export type Claim =
  | {
      kind: "claimed";
      campaign: ClaimedCampaign;
      instance: InstanceSettingsRow;
      recipients: ClaimedRecipient[];
      next: Date;
    }
  | { kind: "wait"; until: Date; reason: string }
  | { kind: "stopped" }
  | { kind: "completed" };

type CampaignLock = {
  id: string;
  status: string;
  instanceId: string;
  templateId: string;
  pace: number;
  jitter: number;
  windowStart: string | null;
  windowEnd: string | null;
  timezone: string;
  dailyCap: number | null;
  /** Epoch milliseconds (see sql-time). */
  startAt: number | null;
  nextSendAt: number | null;
};

export type ClaimOptions = { maxBatch: number; random: () => number };

/**
 * The claim transaction of one dispatch tick. Under the campaign row lock it:
 * settles orphaned SENDING rows as UNKNOWN, checks status, sending window, pace and
 * the instance's cross-campaign limit and daily cap, skips opted-out contacts,
 * marks the claimed recipients SENDING (+attempted_at) and advances both pacing
 * cursors. It commits BEFORE any provider call: a crash after this point leaves a
 * SENDING row that is later reported UNKNOWN and never sent again. A commit whose
 * answer is lost still counts as the claim it is (transactionKnown). Hand-written SQL: row locks,
 * `skip locked` and the cross-campaign cap are what the builder cannot say.
 */
export async function claimRecipients(ctx: CoreContext, campaignId: string, opts: ClaimOptions): Promise<Claim> {
  const now = ctx.now();
  return (await transactionKnown(ctx, "campaign claim", async (tx) => {
    const [c] = await tx.execute<CampaignLock>(sql`
      select id, status, instance_id as "instanceId", template_id as "templateId", pace_per_minute as pace,
        jitter_pct as jitter, window_start as "windowStart", window_end as "windowEnd", timezone,
        daily_cap as "dailyCap", (extract(epoch from start_at) * 1000)::float8 as "startAt",
        (extract(epoch from next_send_at) * 1000)::float8 as "nextSendAt"
      from campaigns where id = ${campaignId} for update`);
    if (!c) return { kind: "stopped" };
    const [instance] = await tx.execute<InstanceSettingsRow>(sql`
      select id, name, provider, config, secrets, send_rate_per_second as "sendRatePerSecond"
      from service_instances where id = ${c.instanceId}`);
    if (!instance) return { kind: "stopped" };
    const staleMs = providerTimeoutMs(ctx, instance) + SENDING_MARGIN_MS;
    await tx.execute(sql`
      update campaign_recipients set status = 'UNKNOWN', reason = ${WORKER_DIED}, error_code = 'WORKER_DIED'
      where campaign_id = ${c.id} and status = 'SENDING' and attempted_at < ${iso(new Date(now.getTime() - staleMs))}::timestamptz`);

    if (c.status === "SCHEDULED" && c.startAt && c.startAt > now.getTime())
      return wait(new Date(c.startAt), "scheduled");
    if (c.status === "SCHEDULED") {
      await tx.execute(
        sql`update campaigns set status = 'RUNNING', started_at = ${iso(now)}::timestamptz, updated_at = ${iso(now)}::timestamptz where id = ${c.id}`,
      );
    } else if (c.status !== "RUNNING") {
      return (await inFlightWait(tx, c.id, staleMs, now)) ?? { kind: "stopped" };
    }
    if (c.windowStart && c.windowEnd) {
      const w = { start: c.windowStart, end: c.windowEnd, timeZone: c.timezone };
      if (!insideWindow(now, w)) return wait(nextWindowOpening(now, w), "outside the sending window");
    }
    if (c.nextSendAt && c.nextSendAt > now.getTime()) return wait(new Date(c.nextSendAt), "pace");
    // Row lock on the instance: serialises campaigns sharing it, so its limit and cap hold across them.
    const [lock] = await tx.execute<{ nextSendAt: number; active: boolean }>(sql`
      select (extract(epoch from next_send_at) * 1000)::float8 as "nextSendAt", active from service_instances where id = ${c.instanceId} for update`);
    if (!lock?.active) return wait(new Date(now.getTime() + 60_000), "instance inactive");
    if (lock.nextSendAt > now.getTime()) return wait(new Date(lock.nextSendAt), "instance limit");

    let batch = c.pace > 0 ? 1 : opts.maxBatch;
    if (c.dailyCap !== null) {
      const dayStart = startOfLocalDay(now, ctx.config.timezone);
      const [used] = await tx.execute<{ n: number }>(sql`
        select count(*)::int as n from campaign_recipients r join campaigns k on k.id = r.campaign_id
        where k.instance_id = ${c.instanceId} and r.attempted_at >= ${iso(dayStart)}::timestamptz
          and r.status in ('SENDING', 'SENT', 'DELIVERED', 'READ', 'UNKNOWN')`);
      const left = c.dailyCap - (used?.n ?? 0);
      if (left <= 0) return wait(startOfNextLocalDay(now, ctx.config.timezone), "daily cap reached");
      batch = Math.min(batch, left);
    }

    const claimed: ClaimedRecipient[] = [];
    for (let round = 0; round < 20 && claimed.length < batch; round++) {
      const rows = await tx.execute<ClaimedRecipient & { optedOut: boolean }>(sql`
        select r.id::text as id, r.phone, r.variables, (ct.opted_out_at is not null) as "optedOut"
        from campaign_recipients r left join contacts ct on ct.id = r.contact_id
        where r.campaign_id = ${c.id} and r.status = 'PENDING'
        order by r.id limit ${batch - claimed.length} for update of r skip locked`);
      if (rows.length === 0) break;
      const skipped = rows.filter((r) => r.optedOut).map((r) => r.id);
      if (skipped.length > 0) {
        await tx.execute(sql`update campaign_recipients set status = 'SKIPPED', reason = 'opted_out'
          where id = any(${idArray(skipped.map(Number))}::bigint[])`);
      }
      const taken = rows.filter((r) => !r.optedOut);
      if (taken.length > 0) {
        // Marked per round, so the next round (same transaction, own locks) cannot pick them again.
        await tx.execute(sql`update campaign_recipients set status = 'SENDING', attempted_at = ${iso(now)}::timestamptz
          where id = any(${idArray(taken.map((r) => Number(r.id)))}::bigint[])`);
      }
      for (const r of taken) claimed.push({ id: r.id, phone: r.phone, variables: r.variables });
    }
    if (claimed.length === 0) {
      const inFlight = await inFlightWait(tx, c.id, staleMs, now);
      if (inFlight) return inFlight;
      const [locked] = await tx.execute(
        sql`select 1 from campaign_recipients where campaign_id = ${c.id} and status = 'PENDING' limit 1`,
      );
      if (locked) return wait(new Date(now.getTime() + 200), "recipients locked by another tick");
      await tx.execute(
        sql`update campaigns set status = 'COMPLETED', finished_at = ${iso(now)}::timestamptz, updated_at = ${iso(now)}::timestamptz where id = ${c.id}`,
      );
      await publishEvent(tx, {
        kind: "campaign.finished",
        audience: { to: "STAFF" },
        payload: { campaignId: c.id, instanceId: c.instanceId },
      });
      return { kind: "completed" };
    }

    const step = c.pace > 0 ? (60_000 / c.pace) * (1 + (c.jitter / 100) * (2 * opts.random() - 1)) : 0;
    // Keep the schedule when a tick is a little late (up to one step), never burst beyond it.
    const base = Math.max(c.nextSendAt ?? now.getTime(), now.getTime() - step);
    const next = new Date(c.pace > 0 ? base + step * claimed.length : now.getTime());
    const instanceNext = new Date(
      Math.max(lock.nextSendAt, now.getTime()) + (claimed.length * 1000) / instance.sendRatePerSecond,
    );
    await tx.execute(sql`update campaigns set next_send_at = ${iso(next)}::timestamptz where id = ${c.id}`);
    await tx.execute(
      sql`update service_instances set next_send_at = ${iso(instanceNext)}::timestamptz where id = ${c.instanceId}`,
    );
    const campaign = { id: c.id, instanceId: c.instanceId, templateId: c.templateId, timezone: c.timezone };
    const until = next > instanceNext ? next : instanceNext;
    return { kind: "claimed", campaign, instance, recipients: claimed, next: until };
  })) as Claim;
}

function wait(until: Date, reason: string): Claim {
  return { kind: "wait", until, reason };
}

/** Rows still SENDING: come back when they will have finished or become orphans. */
async function inFlightWait(tx: Tx, campaignId: string, staleMs: number, now: Date): Promise<Claim | null> {
  const [row] = await tx.execute<{ oldest: number | null }>(sql`
    select (extract(epoch from min(attempted_at)) * 1000)::float8 as oldest from campaign_recipients where campaign_id = ${campaignId} and status = 'SENDING'`);
  if (!row?.oldest) return null;
  return wait(new Date(Math.min(row.oldest + staleMs + 50, now.getTime() + 1000)), "provider calls in flight");
}
