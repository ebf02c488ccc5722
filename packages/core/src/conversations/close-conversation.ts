import { conversations, tabulations } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { sayFarewell } from "../automatic/farewell";
import { publishEvents } from "../events/publish";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { lockForAction } from "./access";
import { conversationEvents } from "./conversation-events";
import { requestAssignment } from "./request-assignment";

export const CloseConversationInput = z.object({
  id: z.string().uuid(),
  tabulationId: z.string().uuid(),
  note: z.string().trim().max(2000).optional(),
});
export type CloseConversationInput = z.input<typeof CloseConversationInput>;

/**
 * Closes an open (or, for staff, waiting) conversation with an active
 * tabulation. Frees the operator's slot: the queue is drained after commit.
 * The department's farewell and satisfaction question go out (sayFarewell).
 */
export async function closeConversation(ctx: CoreContext, actor: Actor, raw: CloseConversationInput) {
  const input = CloseConversationInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const conv = await lockForAction(tx, actor, input.id);
    if (conv.status !== "OPEN" && !(conv.status === "WAITING" && actor.role !== "OPERATOR")) {
      throw new DomainError("CONVERSATION_STATE_CHANGED", `Conversation is ${conv.status}, it cannot be closed`);
    }
    const [tab] = await tx.select().from(tabulations).where(eq(tabulations.id, input.tabulationId)).for("share");
    if (!tab?.active) {
      throw new DomainError("TABULATION_INACTIVE", "tabulationId: unknown or inactive tabulation", {
        field: "tabulationId",
      });
    }
    const now = ctx.now();
    const [after] = await tx
      .update(conversations)
      .set({
        status: "CLOSED",
        tabulationId: tab.id,
        closeNote: input.note || null,
        closedAt: now,
        closedById: actor.id,
      })
      .where(eq(conversations.id, conv.id))
      .returning();
    if (!after) throw bug("closed conversation vanished");
    await publishEvents(tx, conversationEvents("conversation.closed", after, null, { tabulationId: tab.id }));
    await sayFarewell(tx, conv.id, now);
    await requestAssignment(tx, "closed", { conversationId: conv.id });
    return after;
  });
}
