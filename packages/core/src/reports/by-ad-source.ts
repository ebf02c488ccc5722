import type { Actor, CoreContext } from "../shared/context";
import { adKey, finishedWhere, parseOrThrow, ReportFilter, reportTx, scopeFilter } from "./filter";

export const ByAdSourceInput = ReportFilter;
export type ByAdSourceInput = ReportFilter;

/**
 * Finished conversations of the period per click-to-WhatsApp ad they started from
 * (`conversations.referral`, keyed by the ad's `sourceId`), with the ad's latest headline
 * and link, and how many were closed or expired. Conversations from no ad are counted in
 * `direct`. The console also offers these ads as the "ad source" filter.
 */
export async function reportByAdSource(ctx: Pick<CoreContext, "sql" | "config">, viewer: Actor, raw: ByAdSourceInput) {
  const f = await scopeFilter(ctx, viewer, parseOrThrow(ByAdSourceInput, raw));
  const rows = await reportTx(
    ctx,
    (sql) => sql`select ${adKey(sql)} as source_id,
        (array_agg(c.referral->>'headline' order by c.closed_at desc) filter (where c.referral ? 'headline'))[1] as headline,
        (array_agg(c.referral->>'sourceUrl' order by c.closed_at desc) filter (where c.referral ? 'sourceUrl'))[1] as source_url,
        count(*) filter (where c.status = 'CLOSED')::int as closed,
        count(*) filter (where c.status = 'EXPIRED')::int as expired
      from conversations c where ${finishedWhere(sql, f, ctx.config.timezone)}
      group by 1`,
  );
  const fromAds = rows.filter((r) => r.source_id !== null);
  const direct = rows.find((r) => r.source_id === null);
  return {
    direct: direct ? Number(direct.closed) + Number(direct.expired) : 0,
    rows: fromAds
      .map((r) => ({
        sourceId: String(r.source_id),
        headline: typeof r.headline === "string" ? r.headline : null,
        sourceUrl: typeof r.source_url === "string" ? r.source_url : null,
        closed: Number(r.closed),
        expired: Number(r.expired),
        total: Number(r.closed) + Number(r.expired),
      }))
      .sort((a, b) => b.total - a.total || a.sourceId.localeCompare(b.sourceId)),
  };
}
export type AdSourceReport = Awaited<ReturnType<typeof reportByAdSource>>;
