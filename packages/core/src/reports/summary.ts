import type { Actor, CoreContext } from "../shared/context";
import { dimensionWhere, finishedWhere, parseOrThrow, periodDays, ReportFilter, reportTx, scopeFilter } from "./filter";
import { type Metrics, metricAggregates, metricColumns, metricSelect, readMetrics } from "./metrics";

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
  // Three statements on three pooled connections, so Postgres works on them in parallel.
  const [groups, series, open] = await Promise.all([
    reportTx(
      ctx.sql,
      (sql) => sql`select status::text as status, count(*)::int as n, ${metricAggregates(sql)}
      from (select c.status, ${metricSelect(sql)} from conversations c where ${finishedWhere(sql, f, tz)}) x
      group by status`,
    ),
    reportTx(ctx.sql, (sql) => {
      const m = metricColumns(sql);
      return sql`select to_char(date_trunc('day', c.closed_at at time zone ${tz}), 'YYYY-MM-DD') as day,
        count(*) filter (where c.status = 'CLOSED')::int as closed,
        count(*) filter (where c.status = 'EXPIRED')::int as expired,
        avg(${m.waiting}) filter (where c.status = 'CLOSED') as waiting,
        avg(${m.handling}) filter (where c.status = 'CLOSED') as handling,
        avg(${m.firstResponse}) filter (where c.status = 'CLOSED') as first_response
      from conversations c where ${finishedWhere(sql, f, tz)}
      group by 1`;
    }),
    // Open conversations have no tabulation yet: with a tabulation filter there are none.
    f.tabulationId
      ? Promise.resolve([])
      : reportTx(
          ctx.sql,
          (sql) => sql`select c.status::text as status, count(*)::int as n from conversations c
            where c.status in ('WAITING', 'OPEN') ${dimensionWhere(sql, f)} group by 1`,
        ),
  ]);
  const byStatus = (rows: readonly Record<string, unknown>[], s: string) => rows.find((r) => r.status === s);
  const closed = byStatus(groups, "CLOSED");
  const expired = byStatus(groups, "EXPIRED");
  const byDay = new Map(series.map((r) => [String(r.day), r]));
  return {
    period: { from: f.from, to: f.to, timezone: tz },
    counts: {
      closed: Number(closed?.n ?? 0),
      expired: Number(expired?.n ?? 0),
      waitingNow: Number(byStatus(open, "WAITING")?.n ?? 0),
      openNow: Number(byStatus(open, "OPEN")?.n ?? 0),
    },
    closed: readMetrics(closed) satisfies Metrics,
    expired: readMetrics(expired) satisfies Metrics,
    series: periodDays(f).map((day): DayPoint => {
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
