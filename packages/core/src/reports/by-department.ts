import type { Actor, CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { dimensionWhere, finishedWhere, parseOrThrow, ReportFilter, reportTx, scopeFilter } from "./filter";
import { metricAggregates, readMetrics } from "./metrics";

export const ByDepartmentInput = ReportFilter;
export type ByDepartmentInput = ReportFilter;

const NAMES = ["waiting", "handling", "firstResponse"] as const;

/**
 * One row per department: volume (CLOSED and EXPIRED in the period, by `closed_at` day), waiting and
 * open right now, waiting/handling/first-response times over its closed conversations, and CSAT over
 * them (average of the 1–5 answers, how many answered, how many were asked). Conversations of no
 * department are the `departmentId: null` row. A supervisor limited to some departments gets only
 * theirs (no null row); an operator, his own conversations.
 */
export async function reportByDepartment(
  ctx: Pick<CoreContext, "sql" | "config">,
  viewer: Actor,
  raw: ByDepartmentInput,
) {
  const f = await scopeFilter(ctx, viewer, parseOrThrow(ByDepartmentInput, raw));
  const tz = ctx.config.timezone;
  const [finished, active] = await reportTx(ctx, (sql) =>
    Promise.all([
      sql`select c.department_id, c.status::text as status, count(*)::int as n, ${metricAggregates(sql, NAMES)},
          avg(c.csat_score)::float8 as csat_avg, count(c.csat_score)::int as csat_answered,
          count(c.csat_asked_at)::int as csat_asked
        from conversations c where ${finishedWhere(sql, f, tz)} group by 1, 2`,
      // Open conversations have no tabulation yet: with a tabulation filter there are none.
      f.tabulationId
        ? Promise.resolve([])
        : sql`select c.department_id, c.status::text as status, count(*)::int as n from conversations c
            where c.status in ('WAITING', 'OPEN') ${dimensionWhere(sql, f)} group by 1, 2`,
    ]),
  );
  const key = (id: unknown) => (typeof id === "string" ? id : null);
  const ids = [...new Set([...finished, ...active].map((r) => key(r.department_id)))];
  const known = ids.filter((id): id is string => id !== null);
  const departments = known.length
    ? await ctx.sql<{ id: string; name: string; color: string }[]>`
        select id, name, color from departments where id = any(${uuidArray(known)}::uuid[])`
    : [];
  const pick = (rows: readonly Record<string, unknown>[], id: string | null, status: string) =>
    rows.find((r) => key(r.department_id) === id && r.status === status);
  return ids
    .map((id) => {
      const d = departments.find((x) => x.id === id);
      const closed = pick(finished, id, "CLOSED");
      const { waiting, handling, firstResponse } = readMetrics(closed);
      const answered = Number(closed?.csat_answered ?? 0);
      const asked = Number(closed?.csat_asked ?? 0);
      return {
        departmentId: id,
        departmentName: d?.name ?? null,
        color: d?.color ?? null,
        closed: Number(closed?.n ?? 0),
        expired: Number(pick(finished, id, "EXPIRED")?.n ?? 0),
        waitingNow: Number(pick(active, id, "WAITING")?.n ?? 0),
        openNow: Number(pick(active, id, "OPEN")?.n ?? 0),
        metrics: { waiting, handling, firstResponse },
        csat: {
          average: answered > 0 ? Math.round(Number(closed?.csat_avg) * 100) / 100 : null,
          answered,
          asked,
          answerRate: asked > 0 ? Math.round((answered / asked) * 10_000) / 10_000 : null,
        },
      };
    })
    .sort(
      (a, b) =>
        Number(a.departmentId === null) - Number(b.departmentId === null) ||
        b.closed + b.expired - (a.closed + a.expired) ||
        (a.departmentName ?? "").localeCompare(b.departmentName ?? ""),
    );
}
export type DepartmentReportRow = Awaited<ReturnType<typeof reportByDepartment>>[number];
