import { conversations } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { publishEvents } from "../events/publish";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { conversationEvents } from "./conversation-events";
import { lockTargetOperator } from "./load-target-operator";
import { requestAssignment } from "./request-assignment";

export const ReopenConversationInput = z.object({
  id: z.string().uuid(),
  /** Give it straight to this operator; without it the conversation goes back to the queue. */
  operatorId: z.string().uuid().optional(),
  force: z.boolean().default(false),
});
export type ReopenConversationInput = z.input<typeof ReopenConversationInput>;

/**
 * Staff reopen a closed or expired conversation. Refused with CONFLICT when the
 * contact already has another active conversation on that instance (the
 * partial unique index is the arbiter). The closing data is cleared.
 */
export async function reopenConversation(ctx: CoreContext, actor: Actor, raw: ReopenConversationInput) {
  const input = ReopenConversationInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      const target = input.operatorId
        ? await lockTargetOperator(tx, input.operatorId, { force: input.force, mustBeOnline: false })
        : null;
      const [conv] = await tx.select().from(conversations).where(eq(conversations.id, input.id)).for("update");
      if (!conv) throw notFound("Conversation");
      if (conv.status !== "CLOSED" && conv.status !== "EXPIRED") {
        throw new DomainError(
          "CONVERSATION_STATE_CHANGED",
          `Conversation is ${conv.status}, only finished ones reopen`,
        );
      }
      const now = ctx.now();
      const [after] = await tx
        .update(conversations)
        .set({
          status: target ? "OPEN" : "WAITING",
          operatorId: target?.id ?? null,
          assignedAt: target ? now : null,
          firstAssignedAt: conv.firstAssignedAt ?? (target ? now : null),
          tabulationId: null,
          closeNote: null,
          closedAt: null,
          closedById: null,
        })
        .where(eq(conversations.id, conv.id))
        .returning();
      if (!after) throw bug("reopened conversation vanished");
      await publishEvents(tx, conversationEvents("conversation.reopened", after, null, { byUserId: actor.id }));
      if (!target) await requestAssignment(tx, "reopened", { conversationId: conv.id });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "conversation.reopen",
        targetType: "conversation",
        targetId: conv.id,
        data: { operatorId: target?.id ?? null },
      });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new DomainError(
        "CONTACT_HAS_ACTIVE_CONVERSATION",
        "The contact already has an active conversation on this instance",
      );
    }
    throw err;
  }
}
