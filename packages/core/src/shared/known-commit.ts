import { sql } from "drizzle-orm";
import type { TransactionSql } from "postgres";
import type { CoreContext, Tx } from "./context";
import { isDatabaseUnavailable } from "./pg";
import { OUTAGE_PATIENCE_MS, writeThroughOutage } from "./through-outage";

type Begin<T, X> = (body: (tx: X) => Promise<T>) => Promise<T>;

/**
 * Runs `body` in a transaction whose outcome is known even when the answer to its
 * COMMIT is lost (Postgres restarted or the link broke right after committing).
 * Such a commit looks like a failure, yet what it wrote holds: a send claim would
 * stay "in flight" for nobody and end as "may have been sent" without any call.
 * So when the link dies after `body` finished, the transaction's id is looked up
 * (pg_xact_status, waiting through the outage): committed, and `body`'s result is
 * returned as if the answer had come; otherwise the error is thrown as before.
 */
async function knownCommit<T, X>(
  ctx: Pick<CoreContext, "sql" | "log">,
  what: string,
  begin: Begin<T, X>,
  xidOf: (tx: X) => Promise<string | undefined>,
  body: (tx: X) => Promise<T>,
): Promise<T> {
  let xid: string | undefined;
  let finished: { result: T } | undefined;
  try {
    return await begin(async (tx) => {
      xid = await xidOf(tx);
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
async function committed(ctx: Pick<CoreContext, "sql" | "log">, what: string, xid: string): Promise<boolean> {
  const deadline = Date.now() + OUTAGE_PATIENCE_MS;
  return writeThroughOutage(ctx, `${what}: outcome of a commit`, async () => {
    for (;;) {
      const [row] = await ctx.sql<{ status: string | null }[]>`select pg_xact_status(${xid}::xid8) as status`;
      // Still in progress past our patience: treated as not committed (what it claimed ends UNKNOWN).
      if (row?.status !== "in progress" || Date.now() > deadline) return row?.status === "committed";
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}

/** `ctx.sql.begin` whose commit is known even when its answer is lost (see knownCommit). */
export function sqlTransactionKnown<T>(
  ctx: Pick<CoreContext, "sql" | "log">,
  what: string,
  body: (tx: TransactionSql) => Promise<T>,
): Promise<T> {
  return knownCommit(
    ctx,
    what,
    (b: (tx: TransactionSql) => Promise<T>) => ctx.sql.begin(b) as Promise<T>,
    async (tx) => (await tx<{ xid: string }[]>`select pg_current_xact_id()::text as xid`)[0]?.xid,
    body,
  );
}

/** `ctx.db.transaction` whose commit is known even when its answer is lost (see knownCommit). */
export function dbTransactionKnown<T>(
  ctx: Pick<CoreContext, "db" | "sql" | "log">,
  what: string,
  body: (tx: Tx) => Promise<T>,
): Promise<T> {
  return knownCommit(
    ctx,
    what,
    (b: (tx: Tx) => Promise<T>) => ctx.db.transaction(b),
    async (tx) => {
      const rows = await tx.execute<{ xid: string }>(sql`select pg_current_xact_id()::text as xid`);
      return rows[0]?.xid;
    },
    body,
  );
}
