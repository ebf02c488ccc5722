import { messages } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { queueOutbound } from "./queue-message";

/** One emoji (a single grapheme, ZWJ sequences and flags included), or "" to remove ours. */
function isOneEmoji(text: string): boolean {
  const graphemes = [...new Intl.Segmenter("pt", { granularity: "grapheme" }).segment(text)];
  return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(text);
}

export const ReactInput = z.object({
  messageId: z.string().uuid(),
  emoji: z
    .string()
    .max(32)
    .refine((v) => v === "" || isOneEmoji(v), "emoji: one emoji, or empty to remove the reaction"),
});
export type ReactInput = z.infer<typeof ReactInput>;

/**
 * Reacts to a message of a conversation (an empty emoji removes our reaction). It goes
 * out like any message (same access rules and 24-hour window) as a `reaction` row that
 * quotes its target; the target must have reached the provider and not be a reaction.
 */
export async function queueReaction(ctx: CoreContext, actor: Actor, raw: ReactInput) {
  const input = ReactInput.parse(raw);
  const [target] = await ctx.db
    .select({
      conversationId: messages.conversationId,
      type: messages.type,
      providerMessageId: messages.providerMessageId,
    })
    .from(messages)
    .where(eq(messages.id, input.messageId));
  if (!target) throw notFound("Message");
  return queueOutbound(ctx, actor, target.conversationId, async () => {
    // Checked after the access rules (inside queueOutbound), so nothing leaks about others' messages.
    if (target.type === "reaction") {
      throw new DomainError("REACTION_TO_REACTION", "messageId: a reaction cannot be reacted to", {
        field: "messageId",
      });
    }
    if (!target.providerMessageId) {
      throw new DomainError("NOT_SENT_YET", "The message has not reached WhatsApp yet", {
        reason: "NOT_SENT_YET",
      });
    }
    return {
      type: "reaction",
      body: input.emoji || null,
      media: null,
      replyToId: input.messageId,
      content: { reaction: { emoji: input.emoji, targetMessageId: input.messageId } },
    };
  });
}
