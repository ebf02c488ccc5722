import type { Actor, CoreContext } from "../shared/context";
import { dimensionWhere, finishedWhere, parseOrThrow, ReportFilter, reportTx, scopeFilter } from "./filter";
import { metricAggregates, readMetrics } from "./metrics";

export const ByOperatorInput = ReportFilter;
export type ByOperatorInput = ReportFilter;

/**
 * One row per operator: conversations handled (CLOSED in the period, by
 * `closed_at` day), the four times over them, conversations that expired in
 * his hands, and how many are OPEN with him right now. Conversations that
 * expired before anyone took them appear under `operatorId: null`.
 */
export async function reportByOperator(ctx: Pick<CoreContext, "sql" | "config">, viewer: Actor, raw: ByOperatorInput) {
  const f = scopeFilter(viewer, parseOrThrow(ByOperatorInput, raw));
  const tz = ctx.config.timezone;
  // One small index range per (user, status) on conversations_finished_operator_idx: rows come grouped,
  // so each operator's percentiles sort only his own values instead of the period being sorted twice.
  const [finished, open] = await Promise.all([
    reportTx(
      ctx.sql,
      (sql) => sql`select o.id as operator_id, s.status::text as status, x.*
      from users o cross join (values ('CLOSED'::conversation_status), ('EXPIRED')) s(status)
      cross join lateral (select count(*)::int as n, ${metricAggregates(sql)} from conversations c
        where c.operator_id = o.id and c.status = s.status and ${finishedWhere(sql, f, tz)}) x
      where x.n > 0 ${f.operatorId ? sql`and o.id = ${f.operatorId}` : sql``}
      ${
        f.operatorId
          ? sql``
          : sql`union all
      select null, c.status::text, count(*)::int, ${metricAggregates(sql)} from conversations c
        where c.operator_id is null and ${finishedWhere(sql, f, tz)} group by c.status`
      }`,
    ),
    f.tabulationId
      ? Promise.resolve([])
      : reportTx(
          ctx.sql,
          (sql) => sql`select c.operator_id, count(*)::int as n from conversations c
            where c.status = 'OPEN' ${dimensionWhere(sql, f)} group by 1`,
        ),
  ]);
  const key = (id: unknown) => (typeof id === "string" ? id : null);
  const ids = new Set<string | null>([...finished, ...open].map((r) => key(r.operator_id)));
  const names = await operatorNames(
    ctx,
    [...ids].filter((id): id is string => id !== null),
  );
  const row = (id: string | null, status: string) =>
    finished.find((r) => key(r.operator_id) === id && r.status === status);
  return [...ids]
    .map((id) => {
      const closed = row(id, "CLOSED");
      return {
        operatorId: id,
        operatorName: id ? (names.get(id) ?? null) : null,
        handled: Number(closed?.n ?? 0),
        expired: Number(row(id, "EXPIRED")?.n ?? 0),
        openNow: Number(open.find((r) => key(r.operator_id) === id)?.n ?? 0),
        metrics: readMetrics(closed),
      };
    })
    .sort((a, b) => b.handled - a.handled || (a.operatorName ?? "").localeCompare(b.operatorName ?? ""));
}
export type OperatorReportRow = Awaited<ReturnType<typeof reportByOperator>>[number];

async function operatorNames(ctx: Pick<CoreContext, "sql">, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await ctx.sql`select id, name from users where id in ${ctx.sql(ids)}`;
  return new Map(rows.map((r) => [String(r.id), String(r.name)]));
}
