import { quickReplies } from "@elsehu/db";
import { and, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { mediaKindOf, queueMediaMessage } from "../messages/queue-media-message";
import { queueTextMessage } from "../messages/queue-message";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { readFileBytes } from "../storage/files";

export const SendQuickReplyInput = z.object({
  conversationId: z.string().uuid(),
  quickReplyId: z.string().uuid(),
  /** The text as the operator left it in the composer (variables filled, maybe edited); may be empty. */
  body: z.string().trim().max(4096).default(""),
  replyToId: z.string().uuid().optional(),
});
export type SendQuickReplyInput = z.input<typeof SendQuickReplyInput>;

/** Kinds that carry a caption on WhatsApp (audio and stickers take none). */
const CAPTIONED = new Set(["image", "video", "document"]);
const MAX_CAPTION = 1024;

/**
 * Sends a quick reply the viewer may use (his own or a shared one) with its file:
 * the text as the file's caption when the kind takes one and it fits, otherwise
 * the text first and the file after it. Each message goes through the ordinary
 * send checks (assignment, 24-hour window, provider limits) and keeps its own
 * copy of the file, so a later change to the quick reply never alters history.
 */
export async function sendQuickReply(ctx: CoreContext, actor: Actor, raw: SendQuickReplyInput) {
  const input = SendQuickReplyInput.parse(raw);
  const [reply] = await ctx.db
    .select()
    .from(quickReplies)
    .where(
      and(
        eq(quickReplies.id, input.quickReplyId),
        or(eq(quickReplies.ownerId, actor.id), isNull(quickReplies.ownerId)),
      ),
    );
  if (!reply) throw notFound("Quick reply");
  const file = reply.attachment;
  const sent = [];
  const captioned = file && CAPTIONED.has(mediaKindOf(file.mimeType) ?? "") && input.body.length <= MAX_CAPTION;
  // Without a file this is a plain text send (an empty one is refused there).
  if (!file || (input.body && !captioned)) {
    const text = { conversationId: input.conversationId, body: input.body, replyToId: input.replyToId };
    sent.push(await queueTextMessage(ctx, actor, text));
  }
  if (file) {
    const media = {
      conversationId: input.conversationId,
      caption: captioned && input.body ? input.body : undefined,
      replyToId: sent.length === 0 ? input.replyToId : undefined,
      fileName: file.fileName,
      mimeType: file.mimeType,
      size: file.size,
    };
    sent.push(await queueMediaMessage(ctx, actor, media, () => readFileBytes(ctx, file.storageKey)));
  }
  return sent;
}
