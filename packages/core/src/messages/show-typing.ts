import { conversations, messages, serviceInstances } from "@elsehu/db";
import { ProviderError } from "@elsehu/providers";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { providerFor } from "../instances/provider-for";
import type { CoreContext } from "../shared/context";
import { recipientOf } from "./send-target";

/** How long Evolution holds "composing" (its call blocks that long); Meta's lasts until a reply or ~25 s. */
export const TYPING_HOLD_MS = 3000;

/**
 * Shows "typing…" to the customer. Meta only shows it while marking a customer's
 * message read, so it uses the newest inbound message; without one there is
 * nothing to show it on. Permanent provider refusals are logged, not retried.
 */
export async function showTyping(ctx: CoreContext, conversationId: string): Promise<void> {
  const [conv] = await ctx.db
    .select({ contactId: conversations.contactId, status: conversations.status, instance: serviceInstances })
    .from(conversations)
    .innerJoin(serviceInstances, eq(serviceInstances.id, conversations.instanceId))
    .where(eq(conversations.id, conversationId));
  if (!conv?.instance.active || (conv.status !== "OPEN" && conv.status !== "WAITING")) return;
  const to = await ctx.db.transaction((tx) => recipientOf(tx, conv.instance.provider, conv.contactId));
  if (!to) return;
  const [last] = await ctx.db
    .select({ providerMessageId: messages.providerMessageId })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.direction, "IN"),
        isNotNull(messages.providerMessageId),
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.seq))
    .limit(1);
  if (conv.instance.provider === "META" && !last?.providerMessageId) return;
  try {
    await providerFor(ctx, conv.instance).sendTyping(to, {
      lastInboundId: last?.providerMessageId ?? undefined,
      durationMs: TYPING_HOLD_MS,
    });
  } catch (err) {
    if (err instanceof ProviderError && !err.retryable) {
      ctx.log.warn({ conversationId, code: err.code }, "typing indicator refused by the provider");
      return;
    }
    throw err;
  }
}
