import { sql } from "drizzle-orm";
import { lockForAction } from "../conversations/access";
import { addJob } from "../jobs/add-job";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";

/** At most one typing indicator per conversation in this window, however fast the operator types. */
export const TYPING_WINDOW_MS = 5000;

/**
 * The operator is typing: queue one "typing…" for the customer, unless one already went
 * out in this 5-second window (a row in rate_limit_buckets, shared by every API process).
 * Returns whether one was queued. Only the conversation's own operator (or staff) may.
 */
export async function requestTyping(ctx: CoreContext, actor: Actor, conversationId: string) {
  return ctx.db.transaction(async (tx) => {
    const conv = await lockForAction(tx, actor, conversationId);
    if (conv.status !== "OPEN" && conv.status !== "WAITING")
      throw new DomainError("CONVERSATION_CLOSED", "This conversation is closed");
    const now = ctx.now().getTime();
    const window = new Date(Math.floor(now / TYPING_WINDOW_MS) * TYPING_WINDOW_MS);
    const key = `typing:${conv.id}`;
    const claimed = await tx.execute(sql`insert into rate_limit_buckets (key, window_start, count)
      values (${key}, ${window.toISOString()}::timestamptz, 1) on conflict (key, window_start) do nothing returning key`);
    if (claimed.length === 0) return { queued: false };
    await addJob(tx, "messages/show_typing", { conversationId: conv.id }, { maxAttempts: 2 });
    return { queued: true };
  });
}
