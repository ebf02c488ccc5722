import { conversations, messages, serviceInstances } from "@elsehu/db";
import { ProviderError } from "@elsehu/providers";
import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { providerFor } from "../instances/provider-for";
import type { CoreContext } from "../shared/context";
import { anyUuid } from "../shared/sql-arrays";
import { recipientOf } from "./send-target";

/** Messages marked per call: Meta marks earlier ones itself; Evolution gets their keys. */
const MAX_MARKED = 50;

/**
 * Blue ticks: marks the customer's unread messages of a conversation read at the
 * provider (Meta `status: read` on the newest, which covers the earlier ones;
 * Evolution markMessageAsRead with every key), then stamps them `read_at` so they
 * are not marked twice. Retryable provider failures throw (the job retries);
 * permanent ones are logged and dropped: a missing blue tick is not worth a loop.
 */
export async function markReadAtProvider(ctx: CoreContext, conversationId: string): Promise<void> {
  const [conv] = await ctx.db
    .select({ contactId: conversations.contactId, instance: serviceInstances })
    .from(conversations)
    .innerJoin(serviceInstances, eq(serviceInstances.id, conversations.instanceId))
    .where(eq(conversations.id, conversationId));
  if (!conv?.instance.active) return;
  const unread = await ctx.db
    .select({ id: messages.id, providerMessageId: messages.providerMessageId })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.direction, "IN"),
        isNull(messages.readAt),
        isNotNull(messages.providerMessageId),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.seq))
    .limit(MAX_MARKED);
  const [newest, ...earlier] = unread;
  if (!newest?.providerMessageId) return;
  const chat = await ctx.db.transaction((tx) => recipientOf(tx, conv.instance.provider, conv.contactId));
  if (!chat) return;
  try {
    await providerFor(ctx, conv.instance).markRead(newest.providerMessageId, {
      chat,
      earlier: earlier.flatMap((m) => (m.providerMessageId ? [m.providerMessageId] : [])).reverse(),
    });
  } catch (err) {
    if (err instanceof ProviderError && !err.retryable) {
      ctx.log.warn({ conversationId, code: err.code }, "mark read refused by the provider");
      return;
    }
    throw err;
  }
  await ctx.db
    .update(messages)
    .set({ readAt: ctx.now() })
    .where(
      anyUuid(
        messages.id,
        unread.map((m) => m.id),
      ),
    );
}
