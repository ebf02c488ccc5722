import { conversations } from "@elsehu/db";
import { eq, type SQL, sql } from "drizzle-orm";
import { assertInScope, departmentScope, supervisorScopeSql } from "../departments/department-scope";
import type { Actor, Tx } from "../shared/context";
import { forbidden, notFound } from "../shared/errors";
import type { ConversationRow } from "./find-or-open";

export const isStaff = (actor: Actor) => actor.role === "ADMIN" || actor.role === "SUPERVISOR";

/**
 * Which conversations `viewer` may read. Admins: all; supervisors: all, or
 * their departments' when they watch some. An operator: his own (any
 * status), plus the finished earlier conversations of contacts whose open
 * conversation is his, so he sees the customer's history.
 */
export function readableBy(viewer: Actor): SQL | undefined {
  if (viewer.role === "SUPERVISOR") return supervisorScopeSql(viewer.id);
  if (isStaff(viewer)) return undefined;
  return sql`(${conversations.operatorId} = ${viewer.id} or (${conversations.status} in ('CLOSED', 'EXPIRED')
    and ${conversations.contactId} in (select c2.contact_id from conversations c2
      where c2.operator_id = ${viewer.id} and c2.status = 'OPEN')))`;
}

/**
 * Loads and row-locks a conversation `actor` wants to change. An operator may
 * act only on conversations assigned to him; anyone else's is FORBIDDEN, as
 * is another department's for a supervisor limited to some.
 */
export async function lockForAction(tx: Tx, actor: Actor, id: string): Promise<ConversationRow> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for("update");
  if (!row) throw notFound("Conversation");
  if (!isStaff(actor) && row.operatorId !== actor.id) throw forbidden("This conversation is not assigned to you");
  if (actor.role === "SUPERVISOR") assertInScope(await departmentScope({ db: tx }, actor), row.departmentId);
  return row;
}
