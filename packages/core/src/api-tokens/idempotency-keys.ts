import { apiIdempotencyKeys } from "@elsehu/db";
import { and, eq, gt, lt } from "drizzle-orm";
import type { CoreContext, Tx } from "../shared/context";

/** How long an `Idempotency-Key` is remembered; a retry after that is a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export type StoredAnswer = { requestHash: string; response: unknown };

/** The answer stored for a token's key within the last 24 h, if any. */
export async function findIdempotentAnswer(
  ctx: Pick<CoreContext, "db" | "now">,
  tokenId: string,
  key: string,
): Promise<StoredAnswer | undefined> {
  const cutoff = new Date(ctx.now().getTime() - IDEMPOTENCY_TTL_MS);
  const [row] = await ctx.db
    .select({ requestHash: apiIdempotencyKeys.requestHash, response: apiIdempotencyKeys.response })
    .from(apiIdempotencyKeys)
    .where(
      and(
        eq(apiIdempotencyKeys.tokenId, tokenId),
        eq(apiIdempotencyKeys.key, key),
        gt(apiIdempotencyKeys.createdAt, cutoff),
      ),
    );
  return row;
}

/**
 * Stores a key's answer in the caller's transaction (the one that did the
 * work), replacing an expired use of the same key. A concurrent first use of
 * the key makes this insert fail with a unique violation, rolling the work back.
 */
export async function storeIdempotentAnswer(
  tx: Tx,
  now: Date,
  row: { tokenId: string; key: string; requestHash: string; response: unknown },
): Promise<void> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const same = and(eq(apiIdempotencyKeys.tokenId, row.tokenId), eq(apiIdempotencyKeys.key, row.key));
  await tx.delete(apiIdempotencyKeys).where(and(same, lt(apiIdempotencyKeys.createdAt, cutoff)));
  await tx.insert(apiIdempotencyKeys).values({ ...row, status: 200, createdAt: now });
}
