import { conversations, messages } from "@elsehu/db";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { assertInScope, departmentScope, supervisorScopeSql } from "../departments/department-scope";
import type { Actor, Tx } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import type { ConversationRow } from "./find-or-open";

export const isStaff = (actor: Actor) => actor.role === "ADMIN" || actor.role === "SUPERVISOR";

/**
 * THE rule of who reads which conversation; every read path goes through it:
 * conversations.get/list (`readableBy`), messages.list (through
 * conversations.get), media downloads (`assertMessageReadable`) and realtime
 * events (`canSee` in events/visibility.ts delivers conversation events only
 * to their operator and staff: history is read, never streamed).
 *
 * - Admins: every conversation. Supervisors: every one, or their departments'
 *   when they watch some.
 * - An operator: his own conversations, any status. And, unless an admin set
 *   `customerHistory: off` (app_settings), the finished (CLOSED/EXPIRED)
 *   conversations of a customer he is serving now (an OPEN conversation of his
 *   with that contact) on the same number (instance). Read-only: every change
 *   goes through `lockForAction`, which wants his own conversation; other
 *   operators' close notes are hidden (`withoutOthersNotes`).
 */
export function readableBy(viewer: Actor): SQL | undefined {
  if (viewer.role === "SUPERVISOR") return supervisorScopeSql(viewer.id);
  if (isStaff(viewer)) return undefined;
  return sql`(${conversations.operatorId} = ${viewer.id} or (${conversations.status} in ('CLOSED', 'EXPIRED')
    and not exists (select 1 from app_settings s where s.key = 'customerHistory' and s.value = '"off"'::jsonb)
    and exists (select 1 from conversations c2
      where c2.operator_id = ${viewer.id} and c2.status = 'OPEN'
        and c2.contact_id = ${conversations.contactId} and c2.instance_id = ${conversations.instanceId})))`;
}

/** A conversation as `viewer` may see it: an operator never reads another operator's close note. */
export function withoutOthersNotes<T extends { operatorId: string | null; closeNote: string | null }>(
  viewer: Actor,
  view: T,
): T {
  if (isStaff(viewer) || view.operatorId === viewer.id || view.closeNote === null) return view;
  return { ...view, closeNote: null };
}

/** FORBIDDEN unless `viewer` may read the conversation of message `messageId` (NOT_FOUND if none). */
export async function assertMessageReadable(tx: Tx, viewer: Actor, messageId: string): Promise<void> {
  const [row] = await tx
    .select({ readable: readableBy(viewer) ?? sql<boolean>`true` })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId)));
  if (!row) throw notFound("Message");
  if (!row.readable) throw new DomainError("CONVERSATION_NOT_YOURS", "This conversation is not yours");
}

/**
 * Loads and row-locks a conversation `actor` wants to change. An operator may
 * act only on conversations assigned to him; anyone else's is FORBIDDEN, as
 * is another department's for a supervisor limited to some.
 */
export async function lockForAction(tx: Tx, actor: Actor, id: string): Promise<ConversationRow> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for("update");
  if (!row) throw notFound("Conversation");
  if (!isStaff(actor) && row.operatorId !== actor.id)
    throw new DomainError("CONVERSATION_NOT_YOURS", "This conversation is not assigned to you");
  if (actor.role === "SUPERVISOR") assertInScope(await departmentScope({ db: tx }, actor), row.departmentId);
  return row;
}
