import { createHash } from "node:crypto";
import { type ApiCaller, DomainError, isUniqueViolation, type WithinSend } from "@elsehu/core";
import { apiIdempotencyKeys, type messages } from "@elsehu/db";
import { and, eq, gt, lt } from "drizzle-orm";
import type { PublicContext } from "./init";

/** How long a key is remembered; a retry after that is a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;

type MessageRow = typeof messages.$inferSelect;

/** A queued message as `/api/v1` answers it (also what a replay returns). */
export function queuedMessage(row: Pick<MessageRow, "id" | "conversationId" | "status" | "type" | "createdAt">) {
  return {
    id: row.id,
    conversationId: row.conversationId,
    status: row.status,
    type: row.type,
    createdAt: row.createdAt.toISOString(),
  };
}
export type QueuedMessage = ReturnType<typeof queuedMessage>;

/**
 * Runs a send once per `Idempotency-Key`. The key and the answer are written in
 * the transaction that queues the message (`within`), so a retry after a lost
 * answer, a crash or a concurrent duplicate gets the first answer and never a
 * second message. A failed send stores nothing: retrying it tries again. The
 * same key with a different request is refused (IDEMPOTENCY_KEY_REUSED).
 */
export async function idempotentSend(
  ctx: PublicContext & { caller: ApiCaller },
  operation: string,
  input: unknown,
  send: (within: WithinSend | undefined) => Promise<MessageRow>,
): Promise<QueuedMessage> {
  const key = ctx.idempotencyKey;
  if (key === undefined) return queuedMessage(await send(undefined));
  if (!KEY.test(key)) {
    throw new DomainError("IDEMPOTENCY_KEY_INVALID", "Idempotency-Key: 1 to 255 visible ASCII characters", {
      field: "Idempotency-Key",
    });
  }
  const tokenId = ctx.caller.token.id;
  const requestHash = createHash("sha256").update(operation).update("\n").update(JSON.stringify(input)).digest("hex");
  const now = ctx.core.now();
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  const earlier = await find(ctx, tokenId, key, cutoff);
  if (earlier) return replay(ctx, earlier, requestHash);
  try {
    const row = await send(async (tx, message) => {
      const same = and(eq(apiIdempotencyKeys.tokenId, tokenId), eq(apiIdempotencyKeys.key, key));
      await tx.delete(apiIdempotencyKeys).where(and(same, lt(apiIdempotencyKeys.createdAt, cutoff)));
      await tx
        .insert(apiIdempotencyKeys)
        .values({ tokenId, key, requestHash, status: 200, response: queuedMessage(message), createdAt: now });
    });
    return queuedMessage(row);
  } catch (err) {
    // A concurrent request with the same key committed first: answer as it did.
    if (!isUniqueViolation(err)) throw err;
    const winner = await find(ctx, tokenId, key, cutoff);
    if (!winner) throw err;
    return replay(ctx, winner, requestHash);
  }
}

type Stored = { requestHash: string; response: unknown };

async function find(ctx: PublicContext, tokenId: string, key: string, cutoff: Date): Promise<Stored | undefined> {
  const [row] = await ctx.core.db
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

function replay(ctx: PublicContext, row: Stored, requestHash: string): QueuedMessage {
  if (row.requestHash !== requestHash) {
    throw new DomainError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request");
  }
  ctx.resHeaders.set("Idempotent-Replayed", "true");
  return row.response as QueuedMessage;
}
