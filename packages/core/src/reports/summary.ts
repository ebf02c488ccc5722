import type { Actor, CoreContext } from "../shared/context";
import { dimensionWhere, parseOrThrow, periodDays, periodWhere, ReportFilter, reportTx, scopeFilter } from "./filter";
import { type MetricName, type Metrics, metricAggregates, readMetrics } from "./metrics";

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
  const f = scopeFilter(viewer, parseOrThrow(SummaryInput, raw));
  const tz = ctx.config.timezone;
  // Each exact percentile is a sort of the period's values: the CLOSED ones are split over two
  // statements, so two backends (cores) sort at once; every statement is an index-only scan.
  const stats = (status: "CLOSED" | "EXPIRED", names: readonly MetricName[]) =>
    reportTx(
      ctx.sql,
      (sql) => sql`select count(*)::int as n, ${metricAggregates(sql, names)}
        from conversations c where c.status = ${sql.unsafe(`'${status}'`)} and ${periodWhere(sql, f, tz)}`,
    );
  const [closedA, closedB, expiredAll, series, open] = await Promise.all([
    stats("CLOSED", ["waiting", "handling"]),
    stats("CLOSED", ["firstResponse", "duration"]),
    stats("EXPIRED", ["waiting", "handling", "firstResponse", "duration"]),
    // Local days as a sorted array of their starts: width_bucket() finds a row's day without a time zone
    // conversion per row.
    reportTx(
      ctx.sql,
      (sql) => sql`select width_bucket(c.closed_at, array(
          select d::timestamp at time zone ${tz} from generate_series(${f.from}::date, ${f.to}::date, interval '1 day') d
        )) as day,
        count(*) filter (where c.status = 'CLOSED')::int as closed,
        count(*) filter (where c.status = 'EXPIRED')::int as expired,
        avg(c.wait_s) filter (where c.status = 'CLOSED') as waiting,
        avg(c.handle_s) filter (where c.status = 'CLOSED') as handling,
        avg(c.first_response_s) filter (where c.status = 'CLOSED') as first_response
      from conversations c where c.status in ('CLOSED', 'EXPIRED') and ${periodWhere(sql, f, tz)}
      group by 1`,
    ),
    // Open conversations have no tabulation yet: with a tabulation filter there are none.
    f.tabulationId
      ? Promise.resolve([])
      : reportTx(
          ctx.sql,
          (sql) => sql`select c.status::text as status, count(*)::int as n from conversations c
            where c.status in ('WAITING', 'OPEN') ${dimensionWhere(sql, f)} group by 1`,
        ),
  ]);
  const closed = { ...closedA[0], ...closedB[0] };
  const expired = expiredAll[0];
  const days = periodDays(f);
  const byDay = new Map(series.map((r) => [days[Number(r.day) - 1], r]));
  const nowIn = (s: string) => Number(open.find((r) => r.status === s)?.n ?? 0);
  return {
    period: { from: f.from, to: f.to, timezone: tz },
    counts: {
      closed: Number(closed.n ?? 0),
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
