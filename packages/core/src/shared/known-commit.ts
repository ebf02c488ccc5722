import { sql } from "drizzle-orm";
import type { CoreContext, Tx } from "./context";
import { isDatabaseUnavailable } from "./pg";
import { OUTAGE_PATIENCE_MS, writeThroughOutage } from "./through-outage";

/**
 * `ctx.db.transaction` whose outcome is known even when the answer to its COMMIT is
 * lost (Postgres restarted or the link broke right after committing). Such a commit
 * looks like a failure, yet what it wrote holds: a send claim would stay "in flight"
 * for nobody and end as "may have been sent" without any call. So when the link dies
 * after `body` finished, the transaction's id is looked up (pg_xact_status, waiting
 * through the outage): committed, and `body`'s result is returned as if the answer
 * had come; otherwise the error is thrown as before. One helper for every claim, on
 * drizzle's transaction: hand-written statements inside run as `tx.execute(sql`…`)`.
 */
export async function transactionKnown<T>(
  ctx: Pick<CoreContext, "db" | "log">,
  what: string,
  body: (tx: Tx) => Promise<T>,
): Promise<T> {
  let xid: string | undefined;
  let finished: { result: T } | undefined;
  try {
    return await ctx.db.transaction(async (tx) => {
      xid = (await tx.execute<{ xid: string }>(sql`select pg_current_xact_id()::text as xid`))[0]?.xid;
      const result = await body(tx);
      finished = { result };
      return result;
    });
  } catch (err) {
    if (!finished || xid === undefined || !isDatabaseUnavailable(err)) throw err;
    if (!(await committed(ctx, what, xid))) throw err;
    ctx.log.warn({ what }, "transaction committed, though the answer to its commit was lost");
    return finished.result;
  }
}

/** Whether transaction `xid` committed; waits while it is still in progress on the server. */
async function committed(ctx: Pick<CoreContext, "db" | "log">, what: string, xid: string): Promise<boolean> {
  const deadline = Date.now() + OUTAGE_PATIENCE_MS;
  return writeThroughOutage(ctx, `${what}: outcome of a commit`, async () => {
    for (;;) {
      const [row] = await ctx.db.execute<{ status: string | null }>(sql`select pg_xact_status(${xid}::xid8) as status`);
      // Still in progress past our patience: treated as not committed (what it claimed ends UNKNOWN).
      if (row?.status !== "in progress" || Date.now() > deadline) return row?.status === "committed";
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}
