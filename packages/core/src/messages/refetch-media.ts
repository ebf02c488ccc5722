import { messages } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { lockForAction } from "../conversations/access";
import { loadInstance } from "../instances/list-instances";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { META_MEDIA_LIFETIME_MS, queueMediaFetch } from "./inbound-media";
import { publishMessageUpdated } from "./message-events";

export const RefetchMediaInput = z.object({ messageId: z.string().uuid() });
export type RefetchMediaInput = z.input<typeof RefetchMediaInput>;

/**
 * Asks the provider again for a message's media that could not be downloaded
 * ("mídia indisponível"): the media goes back to pending and a fresh fetch job,
 * with its own retries, is queued. Staff, or the operator the conversation is
 * assigned to. Refused when the file is already here, or when the provider no
 * longer keeps it (Meta: 30 days), which then says so on the message.
 */
export async function refetchMedia(ctx: CoreContext, actor: Actor, raw: RefetchMediaInput) {
  const input = RefetchMediaInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, input.messageId));
    if (!message) throw notFound("Message");
    const conversation = await lockForAction(tx, actor, message.conversationId);
    const media = message.media;
    if (!media || message.direction !== "IN" || message.deletedAt) {
      throw new DomainError("MEDIA_NONE", "This message has no media to fetch");
    }
    if (media.state === "pending") return { state: "pending" as const };
    if (!media.state || media.state === "ready") {
      throw new DomainError("MEDIA_READY", "The media is already available");
    }
    const instance = await loadInstance(ctx, message.instanceId);
    const old = ctx.now().getTime() - message.createdAt.getTime() > META_MEDIA_LIFETIME_MS;
    if (media.state === "expired" || (instance.provider === "META" && old)) {
      if (media.state !== "expired") {
        await tx
          .update(messages)
          .set({ media: { ...media, state: "expired" } })
          .where(eq(messages.id, message.id));
      }
      throw new DomainError("MEDIA_EXPIRED", "WhatsApp no longer keeps this media (over 30 days)");
    }
    const { error: _error, ...rest } = media;
    await tx
      .update(messages)
      .set({ media: { ...rest, state: "pending" } })
      .where(eq(messages.id, message.id));
    await queueMediaFetch(tx, message.id);
    await publishMessageUpdated(tx, {
      messageId: message.id,
      conversationId: message.conversationId,
      operatorId: conversation.operatorId,
      change: "media",
    });
    return { state: "pending" as const };
  });
}
