import type { Actor, CoreContext } from "../shared/context";
import { dimensionWhere, parseOrThrow, periodDays, periodWhere, ReportFilter, reportTx, scopeFilter } from "./filter";
import { type Metrics, metricAggregates, readMetrics } from "./metrics";

export const SummaryInput = ReportFilter;
export type SummaryInput = ReportFilter;

export type DayPoint = {
  day: string;
  closed: number;
  expired: number;
  avgWaiting: number | null;
  avgHandling: number | null;
  avgFirstResponse: number | null;
};

const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

/**
 * Counts by status and the four times for the period. Finished conversations
 * are picked by the day of `closed_at`; CLOSED ones feed `closed`, EXPIRED ones
 * are reported apart in `expired`. WAITING/OPEN are counted as they are now.
 */
export async function reportSummary(ctx: Pick<CoreContext, "sql" | "config">, viewer: Actor, raw: SummaryInput) {
  const f = await scopeFilter(ctx, viewer, parseOrThrow(SummaryInput, raw));
  const tz = ctx.config.timezone;
  const days = periodDays(f);
  // Two backends (cores) at once: the CLOSED figures (one index-only scan, four exact percentiles, i.e. four
  // sorts of the period's values) on one; the smaller statements, pipelined, on the other.
  const [[closed], [[expired], series, open]] = await Promise.all([
    reportTx(
      ctx,
      (sql) => sql`select count(*)::int as n, ${metricAggregates(sql)}
        from conversations c where c.status = 'CLOSED' and ${periodWhere(sql, f, tz)}`,
    ),
    reportTx(ctx, (sql) =>
      Promise.all([
        sql`select count(*)::int as n, ${metricAggregates(sql)}
          from conversations c where c.status = 'EXPIRED' and ${periodWhere(sql, f, tz)}`,
        // One plain aggregate per local day over its own index range: no hashing of every row into days.
        // Day d is [d 00:00, d+1 00:00) in the report timezone, exactly the days periodWhere spans.
        sql`select d.i + 1 as day, x.*
          from generate_series(0, ${days.length - 1}) d(i) cross join lateral (
            select count(*) filter (where c.status = 'CLOSED')::int as closed,
              count(*) filter (where c.status = 'EXPIRED')::int as expired,
              avg(c.wait_s) filter (where c.status = 'CLOSED') as waiting,
              avg(c.handle_s) filter (where c.status = 'CLOSED') as handling,
              avg(c.first_response_s) filter (where c.status = 'CLOSED') as first_response
            from conversations c
            where c.status in ('CLOSED', 'EXPIRED')
              and c.closed_at >= (${f.from}::date + d.i)::timestamp at time zone ${tz}
              and c.closed_at < (${f.from}::date + d.i + 1)::timestamp at time zone ${tz}
              ${dimensionWhere(sql, f)}) x`,
        // Open conversations have no tabulation yet: with a tabulation filter there are none.
        f.tabulationId
          ? Promise.resolve([])
          : sql`select c.status::text as status, count(*)::int as n from conversations c
              where c.status in ('WAITING', 'OPEN') ${dimensionWhere(sql, f)} group by 1`,
      ]),
    ),
  ]);
  const byDay = new Map(series.map((r) => [days[Number(r.day) - 1], r]));
  const nowIn = (s: string) => Number(open.find((r) => r.status === s)?.n ?? 0);
  return {
    period: { from: f.from, to: f.to, timezone: tz },
    counts: {
      closed: Number(closed?.n ?? 0),
      expired: Number(expired?.n ?? 0),
      waitingNow: nowIn("WAITING"),
      openNow: nowIn("OPEN"),
    },
    closed: readMetrics(closed) satisfies Metrics,
    expired: readMetrics(expired) satisfies Metrics,
    series: days.map((day): DayPoint => {
      const r = byDay.get(day);
      return {
        day,
        closed: Number(r?.closed ?? 0),
        expired: Number(r?.expired ?? 0),
        avgWaiting: round(r?.waiting),
        avgHandling: round(r?.handling),
        avgFirstResponse: round(r?.first_response),
      };
    }),
  };
}
export type ReportSummary = Awaited<ReturnType<typeof reportSummary>>;
