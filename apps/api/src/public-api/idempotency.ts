import { createHash } from "node:crypto";
import {
  type ApiCaller,
  DomainError,
  findIdempotentAnswer,
  isUniqueViolation,
  type StoredAnswer,
  storeIdempotentAnswer,
  type WithinSend,
} from "@elsehu/core";
import type { PublicContext } from "./init";

const KEY = /^[\x21-\x7e]{1,255}$/;

type MessageRow = { id: string; conversationId: string; status: string; type: string; createdAt: Date };

/** A queued message as `/api/v1` answers it (also what a replay returns). */
export function queuedMessage(row: MessageRow) {
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
  const earlier = await findIdempotentAnswer(ctx.core, tokenId, key);
  if (earlier) return replay(ctx, earlier, requestHash);
  try {
    const row = await send((tx, message) =>
      storeIdempotentAnswer(tx, ctx.core.now(), { tokenId, key, requestHash, response: queuedMessage(message) }),
    );
    return queuedMessage(row);
  } catch (err) {
    // A concurrent request with the same key committed first: answer as it did.
    if (!isUniqueViolation(err)) throw err;
    const winner = await findIdempotentAnswer(ctx.core, tokenId, key);
    if (!winner) throw err;
    return replay(ctx, winner, requestHash);
  }
}

function replay(ctx: PublicContext, row: StoredAnswer, requestHash: string): QueuedMessage {
  if (row.requestHash !== requestHash) {
    throw new DomainError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request");
  }
  ctx.resHeaders.set("Idempotent-Replayed", "true");
  return row.response as QueuedMessage;
}
