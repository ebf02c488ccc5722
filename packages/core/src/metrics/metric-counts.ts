import { sql } from "drizzle-orm";
import type { CoreContext, Tx } from "../shared/context";

/**
 * Counts one retried provider error (the message stays QUEUED, so no trigger sees it), in the
 * transaction that reschedules the send: counted once per attempt, and never for a rolled-back one.
 */
export async function countProviderError(tx: Tx, provider: string, code: string): Promise<void> {
  await tx.execute(sql`insert into metric_counts (metric, labels, n)
    values ('provider_errors', array[${provider}::text, metric_label(${code})], 1)`);
}

/**
 * Folds every counter's increments into one row per label set, in one statement: the rows it deletes
 * are re-inserted as their sums, so a counter never moves. Rows added meanwhile are left for next time;
 * two runs at once are safe (the second skips the rows the first deleted).
 */
export async function compactMetricCounts(ctx: Pick<CoreContext, "sql">): Promise<number> {
  const [row] = await ctx.sql<{ n: number }[]>`
    with gone as (delete from metric_counts returning metric, labels, n),
    folded as (insert into metric_counts (metric, labels, n) select metric, labels, sum(n) from gone group by 1, 2 returning 1)
    select (select count(*) from gone)::int - (select count(*) from folded)::int as n`;
  return row?.n ?? 0;
}
