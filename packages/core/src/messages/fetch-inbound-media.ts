import { conversations, type MessageMedia, messages } from "@elsehu/db";
import { mediaLimitOf, ProviderError } from "@elsehu/providers";
import { eq, sql } from "drizzle-orm";
import { loadInstance } from "../instances/list-instances";
import { instanceTimeoutMs, providerFor } from "../instances/provider-for";
import type { CoreContext } from "../shared/context";
import { storageOf } from "../storage/storage";
import { META_MEDIA_LIFETIME_MS, queueMediaFetch } from "./inbound-media";
import { publishMessageUpdated } from "./message-events";

const errorText = (err: unknown) =>
  err instanceof ProviderError
    ? `${err.code}: ${err.providerMessage}`
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * Downloads one inbound message's media into storage, streaming within the kind's size
 * cap (Meta's limits), and marks it ready. A retryable failure (network, 5xx, 429) is
 * tried again after `mediaRetryBaseMs`, doubling, up to `mediaFetchAttempts` downloads;
 * then, or at once on a permanent failure, the media is marked failed ("mídia
 * indisponível") and staff may ask again (refetchMedia). Meta media older than 30
 * days is marked expired without a call. Each outcome publishes `message.updated`.
 * The message itself was stored and shown long before: only its media waits.
 */
export async function fetchInboundMedia(ctx: CoreContext, input: { messageId: string; attempt: number }) {
  const [row] = await ctx.db
    .select({ message: messages, operatorId: conversations.operatorId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, input.messageId));
  const media = row?.message.media;
  if (!row || media?.state !== "pending") return;
  const instance = await loadInstance(ctx, row.message.instanceId);
  const settle = async (next: MessageMedia, change = true) => {
    await ctx.db.transaction(async (tx) => {
      // Only a still-pending media is settled: a concurrent job or request may have won.
      const updated = await tx
        .update(messages)
        .set({ media: next })
        .where(sql`${messages.id} = ${input.messageId} and ${messages.media}->>'state' = 'pending'`)
        .returning({ id: messages.id });
      if (updated.length === 0 || !change) return;
      await publishMessageUpdated(tx, {
        messageId: input.messageId,
        conversationId: row.message.conversationId,
        operatorId: row.operatorId,
        change: "media",
      });
    });
  };
  if (instance.provider === "META" && ctx.now().getTime() - row.message.createdAt.getTime() > META_MEDIA_LIFETIME_MS) {
    await settle({ ...media, state: "expired" });
    return;
  }
  const maxBytes = mediaLimitOf(row.message.type);
  let key: string | undefined;
  try {
    const fetched = await providerFor(ctx, instance).fetchMedia(media.providerMediaId ?? "", {
      maxBytes,
      timeoutMs: 8 * instanceTimeoutMs(ctx, instance),
    });
    const stored = await storageOf(ctx).put(fetched.body, { prefix: "media", maxBytes });
    key = stored.key;
    const ready: MessageMedia = { ...media, state: "ready", storageKey: stored.key, size: stored.size };
    ready.mimeType = media.mimeType ?? fetched.mimeType;
    if (!ready.fileName && fetched.fileName) ready.fileName = fetched.fileName;
    delete ready.error;
    await settle(ready);
  } catch (err) {
    if (key) await storageOf(ctx).remove(key);
    const attempts = ctx.config.mediaFetchAttempts ?? 5;
    const retryable = !(err instanceof ProviderError) || err.retryable;
    if (retryable && input.attempt < attempts) {
      const delay = (ctx.config.mediaRetryBaseMs ?? 5000) * 2 ** (input.attempt - 1);
      ctx.log.warn(
        { messageId: input.messageId, attempt: input.attempt, err: errorText(err) },
        "media download failed",
      );
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(messages)
          .set({ media: { ...media, error: errorText(err) } })
          .where(sql`${messages.id} = ${input.messageId} and ${messages.media}->>'state' = 'pending'`);
        await queueMediaFetch(tx, input.messageId, input.attempt + 1, new Date(Date.now() + delay));
      });
      return;
    }
    ctx.log.warn({ messageId: input.messageId, err: errorText(err) }, "media unavailable");
    await settle({ ...media, state: "failed", error: errorText(err) });
  }
}
