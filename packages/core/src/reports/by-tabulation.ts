import type { Actor, CoreContext } from "../shared/context";
import { finishedWhere, parseOrThrow, ReportFilter, reportTx, scopeFilter } from "./filter";

export const ByTabulationInput = ReportFilter;
export type ByTabulationInput = ReportFilter;

/**
 * CLOSED conversations of the period (by `closed_at` day) per tabulation, with
 * their share of all CLOSED ones (0..1). Closed without a tabulation is the
 * `tabulationId: null` row; EXPIRED conversations carry no tabulation and are
 * counted apart in `expired`.
 */
export async function reportByTabulation(
  ctx: Pick<CoreContext, "sql" | "config">,
  viewer: Actor,
  raw: ByTabulationInput,
) {
  const f = await scopeFilter(ctx, viewer, parseOrThrow(ByTabulationInput, raw));
  const rows = await reportTx(
    ctx,
    (sql) => sql`select x.tabulation_id, x.status, x.n, t.name
    from (select c.tabulation_id, c.status::text as status, count(*)::int as n
          from conversations c where ${finishedWhere(sql, f, ctx.config.timezone)}
          group by 1, 2) x
    left join tabulations t on t.id = x.tabulation_id`,
  );
  const closed = rows.filter((r) => r.status === "CLOSED");
  const total = closed.reduce((s, r) => s + Number(r.n), 0);
  return {
    closed: total,
    expired: rows.filter((r) => r.status === "EXPIRED").reduce((s, r) => s + Number(r.n), 0),
    rows: closed
      .map((r) => ({
        tabulationId: typeof r.tabulation_id === "string" ? r.tabulation_id : null,
        tabulationName: typeof r.name === "string" ? r.name : null,
        count: Number(r.n),
        share: total > 0 ? Math.round((Number(r.n) / total) * 10_000) / 10_000 : 0,
      }))
      .sort((a, b) => b.count - a.count || (a.tabulationName ?? "").localeCompare(b.tabulationName ?? "")),
  };
}
export type TabulationReport = Awaited<ReturnType<typeof reportByTabulation>>;
