import type postgres from "postgres";
import type { Actor, CoreContext } from "../shared/context";
import {
  dimensionWhere,
  finishedWhere,
  type ParsedFilter,
  parseOrThrow,
  ReportFilter,
  reportTx,
  scopeFilter,
} from "./filter";
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
  const f = await scopeFilter(ctx, viewer, parseOrThrow(ByOperatorInput, raw));
  const tz = ctx.config.timezone;
  // The operators are split over two backends (cores) by the last byte of their id; one operator alone
  // (an operator's own report, or the filter) needs no split. The open counts ride along, pipelined.
  const halves = f.operatorId ? [null] : [0, 1];
  const results = await Promise.all(
    halves.map((half, i) =>
      reportTx(ctx, (sql) =>
        Promise.all([finishedRows(sql, f, tz, half), i > 0 || f.tabulationId ? Promise.resolve([]) : openRows(sql, f)]),
      ),
    ),
  );
  const finished = results.flatMap(([rows]) => [...rows]);
  const open = results.flatMap(([, rows]) => [...rows]);
  const key = (id: unknown) => (typeof id === "string" ? id : null);
  const names = new Map([...finished, ...open].map((r) => [key(r.operator_id), r.operator_name as string | null]));
  const row = (id: string | null, status: string) =>
    finished.find((r) => key(r.operator_id) === id && r.status === status);
  return [...names]
    .map(([id, name]) => {
      const closed = row(id, "CLOSED");
      return {
        operatorId: id,
        operatorName: name ?? null,
        handled: Number(closed?.n ?? 0),
        expired: Number(row(id, "EXPIRED")?.n ?? 0),
        openNow: Number(open.find((r) => key(r.operator_id) === id)?.n ?? 0),
        metrics: readMetrics(closed),
      };
    })
    .sort((a, b) => b.handled - a.handled || (a.operatorName ?? "").localeCompare(b.operatorName ?? ""));
}
export type OperatorReportRow = Awaited<ReturnType<typeof reportByOperator>>[number];

/**
 * Per (operator, status), one small range of conversations_finished_operator_idx: rows come grouped, so each
 * operator's percentiles sort only his own values. The first half also carries the row with no operator.
 */
function finishedRows(sql: postgres.Sql, f: ParsedFilter, tz: string, half: number | null) {
  return sql`select o.id as operator_id, o.name as operator_name, s.status::text as status, x.*
    from users o cross join (values ('CLOSED'::conversation_status), ('EXPIRED')) s(status)
    cross join lateral (select count(*)::int as n, ${metricAggregates(sql)} from conversations c
      where c.operator_id = o.id and c.status = s.status and ${finishedWhere(sql, f, tz)}) x
    where x.n > 0 ${f.operatorId ? sql`and o.id = ${f.operatorId}` : sql`and get_byte(uuid_send(o.id), 15) % 2 = ${half}`}
    ${
      half === 0
        ? sql`union all
    select null, null, c.status::text, count(*)::int, ${metricAggregates(sql)} from conversations c
      where c.operator_id is null and ${finishedWhere(sql, f, tz)} group by c.status`
        : sql``
    }`;
}

/** OPEN conversations per operator right now (none carry a tabulation yet). */
function openRows(sql: postgres.Sql, f: ParsedFilter) {
  return sql`select c.operator_id, u.name as operator_name, count(*)::int as n
    from conversations c left join users u on u.id = c.operator_id
    where c.status = 'OPEN' ${dimensionWhere(sql, f)} group by 1, 2`;
}
