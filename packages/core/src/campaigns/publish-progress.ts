import { publishEvent } from "../events/publish";
import type { CoreContext } from "../shared/context";
import { campaignStats } from "./campaign-stats";

export const CAMPAIGN_PROGRESS = "campaign.progress";
/** At most ~3 progress events per second per campaign, however fast it sends. */
export const PROGRESS_EVERY_MS = 300;

/**
 * Per-process throttle of progress events. Several worker processes each keep
 * their own, so N processes publish at most 3·N per second for one campaign —
 * still "a few", and no database round trip per send.
 */
export class ProgressThrottle {
  private last = new Map<string, number>();
  due(campaignId: string, nowMs: number, force = false): boolean {
    const prev = this.last.get(campaignId) ?? 0;
    if (!force && nowMs - prev < PROGRESS_EVERY_MS) return false;
    this.last.set(campaignId, nowMs);
    if (this.last.size > 1000) this.last.clear();
    return true;
  }
}

/** Publishes the campaign's counters (small numbers only) to staff. */
export async function publishProgress(ctx: CoreContext, campaignId: string): Promise<void> {
  const { estimatedEndAt, ...stats } = await campaignStats(ctx, campaignId);
  await publishEvent(ctx.db, {
    kind: CAMPAIGN_PROGRESS,
    audience: { to: "STAFF" },
    payload: { ...stats, estimatedEndAt: estimatedEndAt?.toISOString() ?? null },
  });
}
