import { conversations } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { publishEvents } from "../events/publish";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { lockForAction } from "./access";
import { conversationEvents } from "./conversation-events";
import { MAX_CONVERSATION_TAGS, Tag } from "./tags";

export const TagConversationInput = z.object({
  id: z.string().uuid(),
  add: z.array(Tag).max(MAX_CONVERSATION_TAGS).default([]),
  remove: z.array(Tag).max(MAX_CONVERSATION_TAGS).default([]),
});
export type TagConversationInput = z.input<typeof TagConversationInput>;

/**
 * Adds and removes tags of a conversation: its operator, or staff (a limited
 * supervisor within his departments). At most MAX_CONVERSATION_TAGS tags; the
 * change reaches the conversation's operator and staff as `conversation.tagged`.
 */
export async function tagConversation(ctx: CoreContext, actor: Actor, raw: TagConversationInput) {
  const input = TagConversationInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const conv = await lockForAction(tx, actor, input.id);
    const removed = new Set(input.remove);
    const tags = [...new Set([...conv.tags.filter((t) => !removed.has(t)), ...input.add])];
    if (tags.length > MAX_CONVERSATION_TAGS) {
      throw new DomainError("TOO_MANY_TAGS", `tags: at most ${MAX_CONVERSATION_TAGS} per conversation`, {
        field: "tags",
        max: MAX_CONVERSATION_TAGS,
      });
    }
    const [after] = await tx.update(conversations).set({ tags }).where(eq(conversations.id, conv.id)).returning();
    if (!after) throw bug("tagged conversation vanished");
    await publishEvents(tx, conversationEvents("conversation.tagged", after, null, { tags }));
    return { id: after.id, tags: after.tags };
  });
}
