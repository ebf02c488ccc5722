import { conversations, users } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { publishEvents } from "../events/publish-many";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, forbidden } from "../shared/errors";
import { isStaff, lockForAction } from "./access";
import { conversationEvents } from "./conversation-events";
import { lockTargetOperator } from "./load-target-operator";
import { requestAssignment } from "./request-assignment";

export const TransferConversationInput = z.object({
  id: z.string().uuid(),
  /** The operator to hand it to, or null to put it back in the queue. */
  operatorId: z.string().uuid().nullable(),
  /** Staff only: assign even when the operator is at capacity. */
  force: z.boolean().default(false),
});
export type TransferConversationInput = z.input<typeof TransferConversationInput>;

/**
 * Staff assign or transfer any waiting/open conversation to any active operator
 * (over capacity only with `force`) or back to the queue. An operator hands his
 * own open conversation to the queue or to another online operator with room.
 * The queue position (queued_at) is kept: a returned customer is not sent to the back.
 */
export async function transferConversation(ctx: CoreContext, actor: Actor, raw: TransferConversationInput) {
  const input = TransferConversationInput.parse(raw);
  if (input.force && !isStaff(actor)) throw forbidden("Only supervisors can assign over capacity");
  return ctx.db.transaction(async (tx) => {
    // Lock order (assignment lock, then conversation, then user) matches assignWaiting.
    const target = input.operatorId
      ? await lockTargetOperator(tx, input.operatorId, { force: input.force, mustBeOnline: !isStaff(actor) })
      : null;
    const conv = await lockForAction(tx, actor, input.id);
    if (conv.status !== "OPEN" && !(conv.status === "WAITING" && isStaff(actor))) {
      throw new DomainError("PRECONDITION_FAILED", `Conversation is ${conv.status}, it cannot be transferred`);
    }
    if ((target?.id ?? null) === conv.operatorId) {
      throw new DomainError(
        "CONFLICT",
        target ? "Conversation is already with this operator" : "Conversation is already in the queue",
      );
    }
    const now = ctx.now();
    const [after] = await tx
      .update(conversations)
      .set(
        target
          ? { status: "OPEN", operatorId: target.id, assignedAt: now, firstAssignedAt: conv.firstAssignedAt ?? now }
          : { status: "WAITING", operatorId: null, assignedAt: null },
      )
      .where(eq(conversations.id, conv.id))
      .returning();
    if (!after) throw new Error("transferred conversation vanished");
    if (target) await tx.update(users).set({ lastAssignedAt: now }).where(eq(users.id, target.id));
    const kind = conv.status === "WAITING" ? "conversation.assigned" : "conversation.transferred";
    await publishEvents(tx, conversationEvents(kind, after, conv.operatorId, { byUserId: actor.id }));
    // Back to the queue, or a slot freed on the previous operator: drain.
    if (!target || conv.operatorId) await requestAssignment(tx, "queued", { conversationId: conv.id });
    return after;
  });
}
