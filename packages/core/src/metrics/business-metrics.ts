import { jobCounts } from "../jobs/job-counts";
import type { CoreContext } from "../shared/context";

/** Most series one labelled metric may have; the rest are summed into the fixed label `other`. */
export const MAX_SERIES = 100;

export type BusinessSnapshot = Awaited<ReturnType<typeof readBusinessMetrics>>;

/**
 * Everything the business metrics of `/metrics` report, read from the database, so every API
 * process reports the same cluster-wide values whichever process or worker did the work
 * (docs/metrics.md, "Prometheus metrics"). Each read is bounded: the queue through its partial
 * index, the operators (a small table), the counters (compacted every minute), the oldest
 * unprocessed webhook (one index probe) and graphile's backlog.
 */
export async function readBusinessMetrics(ctx: Pick<CoreContext, "sql">) {
  const [queue, operators, counters, [lag], jobs] = await Promise.all([
    // Every active department (0 when empty, so dashboards keep the series), then the no-department queue.
    ctx.sql<{ department: string; waiting: number; oldest: number | null }[]>`
      with q as (
        select c.department_id, count(*)::int as waiting, extract(epoch from now() - min(c.queued_at))::float8 as oldest
        from conversations c where c.status = 'WAITING' and c.routing_state is null group by 1)
      select coalesce(d.name, 'none') as department, coalesce(q.waiting, 0) as waiting, q.oldest
      from q full join (select id, name from departments where archived_at is null) d on d.id = q.department_id
      order by coalesce(q.waiting, 0) desc, d.name nulls first`,
    ctx.sql<{ status: string; n: number }[]>`
      select p.status::text as status, count(u.id)::int as n
      from unnest(enum_range(null::presence_status)) p(status)
      left join users u on u.presence = p.status and u.role = 'OPERATOR' and u.active
      group by 1`,
    ctx.sql<{ metric: string; labels: string[]; n: string }[]>`
      select metric, labels, sum(n)::text as n from metric_counts group by 1, 2`,
    ctx.sql<{ lag: number | null }[]>`
      select extract(epoch from now() - received_at)::float8 as lag
      from webhook_events where processed_at is null order by id limit 1`,
    jobCounts(ctx),
  ]);
  return {
    queue: capSeries(
      queue.map((r) => ({ labels: [r.department], value: r.waiting, oldest: Math.max(0, r.oldest ?? 0) })),
      (a, b) => ({ ...a, value: a.value + b.value, oldest: Math.max(a.oldest, b.oldest) }),
    ),
    operators: operators.map((r) => ({ labels: [r.status], value: r.n })),
    counter: (metric: string) =>
      capSeries(
        counters.filter((r) => r.metric === metric).map((r) => ({ labels: r.labels, value: Number(r.n) })),
        (a, b) => ({ ...a, value: a.value + b.value }),
      ),
    webhookLagSeconds: Math.max(0, lag?.lag ?? 0),
    jobs: capSeries(
      jobs.map((r) => ({ labels: [r.task, r.state], value: r.n })),
      (a, b) => ({ ...a, value: a.value + b.value }),
    ),
  };
}

/**
 * Keeps the MAX_SERIES largest series; the others are merged into one labelled `other` throughout.
 * The SQL already bounds every label (enums, departments, task names, code-shaped provider codes),
 * so this is a last guard, not the usual path.
 */
function capSeries<T extends { labels: string[]; value: number }>(rows: T[], merge: (a: T, b: T) => T): T[] {
  if (rows.length <= MAX_SERIES) return rows;
  const sorted = [...rows].sort((a, b) => b.value - a.value);
  const kept = sorted.slice(0, MAX_SERIES - 1);
  const rest = sorted.slice(MAX_SERIES - 1);
  const first = rest[0] as T;
  const other = rest.slice(1).reduce(merge, { ...first, labels: first.labels.map(() => "other") });
  return [...kept, other];
}
