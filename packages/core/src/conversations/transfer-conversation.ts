import { conversations, conversationTransfers, departmentMembers, departments, users } from "@elsehu/db";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { greetAssigned } from "../automatic/greet";
import { publishEvents } from "../events/publish";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { isStaff, lockForAction } from "./access";
import { conversationEvents } from "./conversation-events";
import { lockTargetOperator } from "./load-target-operator";
import { ASSIGNMENT_LOCK, requestAssignment } from "./request-assignment";
import { addTransferNote } from "./transfer-note";

export const TransferConversationInput = z.object({
  id: z.string().uuid(),
  /** The operator to hand it to, or null/absent to put it in a queue (its department's, or `departmentId`'s). */
  operatorId: z.string().uuid().nullable().default(null),
  /** Move it to this department: to its queue, or to `operatorId`, who must be one of its operators. */
  departmentId: z.string().uuid().optional(),
  /** Shown to whoever receives it. */
  note: z.string().trim().max(500).optional(),
  /** Staff only: assign even when the operator is at capacity. */
  force: z.boolean().default(false),
});
export type TransferConversationInput = z.input<typeof TransferConversationInput>;

/**
 * Staff assign or transfer any waiting/open conversation to any active operator
 * (over capacity only with `force`), to a department or back to the queue. An
 * operator hands his own open conversation to a department, to the queue or to
 * another online operator with room. A department with nobody online keeps it
 * in its queue. The queue position (queued_at) is kept: a returned customer is
 * not sent to the back. Every hand-over is recorded with its note.
 */
export async function transferConversation(ctx: CoreContext, actor: Actor, raw: TransferConversationInput) {
  const input = TransferConversationInput.parse(raw);
  if (input.force && !isStaff(actor))
    throw new DomainError("FORCE_NEEDS_STAFF", "Only supervisors can assign over capacity");
  return ctx.db.transaction(async (tx) => {
    // Lock order (assignment lock, then conversation, then user) matches assignWaiting.
    await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK})`);
    // The caller's right to the conversation first: someone who may not touch it learns nothing about the
    // target operator or department (whether they exist, are online or full) from the answer.
    const conv = await lockForAction(tx, actor, input.id);
    if (conv.status !== "OPEN" && !(conv.status === "WAITING" && isStaff(actor))) {
      throw new DomainError("CONVERSATION_STATE_CHANGED", `Conversation is ${conv.status}, it cannot be transferred`);
    }
    const department = input.departmentId ? await activeDepartment(tx, input.departmentId) : null;
    const target = input.operatorId
      ? await lockTargetOperator(tx, input.operatorId, { force: input.force, mustBeOnline: !isStaff(actor) })
      : null;
    if (target && department) await assertMember(tx, department.id, target.id);
    const departmentId = department?.id ?? conv.departmentId;
    if ((target?.id ?? null) === conv.operatorId && departmentId === conv.departmentId) {
      throw target
        ? new DomainError("ALREADY_WITH_OPERATOR", "Conversation is already with this operator")
        : new DomainError("ALREADY_IN_QUEUE", "Conversation is already in the queue");
    }
    const now = ctx.now();
    const [after] = await tx
      .update(conversations)
      .set({
        departmentId,
        routingState: null,
        ...(target
          ? { status: "OPEN", operatorId: target.id, assignedAt: now, firstAssignedAt: conv.firstAssignedAt ?? now }
          : { status: "WAITING", operatorId: null, assignedAt: null }),
      })
      .where(eq(conversations.id, conv.id))
      .returning();
    if (!after) throw bug("transferred conversation vanished");
    if (target) await tx.update(users).set({ lastAssignedAt: now }).where(eq(users.id, target.id));
    await tx.insert(conversationTransfers).values({
      conversationId: conv.id,
      byUserId: actor.id,
      fromOperatorId: conv.operatorId,
      toOperatorId: target?.id ?? null,
      fromDepartmentId: conv.departmentId,
      toDepartmentId: departmentId,
      note: input.note || null,
      createdAt: now,
    });
    const kind = conv.status === "WAITING" ? "conversation.assigned" : "conversation.transferred";
    await publishEvents(
      tx,
      conversationEvents(kind, after, conv.operatorId, {
        byUserId: actor.id,
        byName: actor.name,
        fromDepartmentId: conv.departmentId,
        note: input.note || null,
      }),
    );
    // The note goes into the timeline too, where the receiver (and whoever may read the conversation) sees it.
    if (input.note) {
      await addTransferNote(tx, {
        conv: after,
        actor,
        note: input.note,
        toOperatorName: target?.name ?? null,
        toDepartmentName: department?.name ?? null,
        now,
      });
    }
    // Taken from the queue by an operator: the department's greeting.
    if (target && conv.status === "WAITING") {
      await greetAssigned(tx, [{ id: after.id, department_id: after.departmentId }], now);
    }
    if (isStaff(actor)) {
      await recordAudit(tx, {
        actorId: actor.id,
        action: "conversation.transfer",
        targetType: "conversation",
        targetId: conv.id,
        data: { fromOperatorId: conv.operatorId, toOperatorId: target?.id ?? null, toDepartmentId: departmentId },
      });
    }
    // Into a queue, or a slot freed on the previous operator: drain.
    if (!target || conv.operatorId) await requestAssignment(tx, "queued", { conversationId: conv.id });
    return after;
  });
}

async function activeDepartment(tx: Tx, id: string) {
  const [dep] = await tx.select().from(departments).where(eq(departments.id, id));
  if (!dep || dep.archivedAt) {
    throw new DomainError("DEPARTMENT_UNKNOWN", "departmentId: unknown or archived department", {
      field: "departmentId",
    });
  }
  return dep;
}

async function assertMember(tx: Tx, departmentId: string, operatorId: string) {
  const [m] = await tx
    .select()
    .from(departmentMembers)
    .where(and(eq(departmentMembers.departmentId, departmentId), eq(departmentMembers.userId, operatorId)));
  if (!m) {
    throw new DomainError("OPERATOR_NOT_IN_DEPARTMENT", "operatorId: not an operator of this department", {
      field: "operatorId",
    });
  }
}
