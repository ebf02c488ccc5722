import { conversations } from "@elsehu/db";
import { type SQL, sql } from "drizzle-orm";
import type { Actor, Tx } from "../shared/context";
import { DomainError } from "../shared/errors";
import { uuidArray } from "../shared/sql-arrays";
import { userDepartmentIds } from "./department-members";

/**
 * The departments a staff member is limited to, or null for all. Admins and
 * supervisors who watch no department see everything; a supervisor member of
 * some departments sees only their queues, conversations and reports.
 */
export async function departmentScope(ctx: { db: Tx }, actor: Actor): Promise<string[] | null> {
  if (actor.role !== "SUPERVISOR") return null;
  const ids = await userDepartmentIds(ctx, actor.id, "SUPERVISOR");
  return ids.length ? ids : null;
}

/**
 * The same rule as one SQL condition on `conversations`, for a supervisor
 * (no extra round trip): in one of his departments, or he watches none.
 */
export function supervisorScopeSql(supervisorId: string): SQL {
  return sql`(not exists (select 1 from department_members sm where sm.user_id = ${supervisorId} and sm.role = 'SUPERVISOR')
    or ${conversations.departmentId} in (select sm.department_id from department_members sm
      where sm.user_id = ${supervisorId} and sm.role = 'SUPERVISOR'))`;
}

/** SQL condition on `conversations` for a scope (undefined: no limit). */
export function inScope(scope: string[] | null): SQL | undefined {
  if (!scope) return undefined;
  return sql`${conversations.departmentId} = any(${uuidArray(scope)}::uuid[])`;
}

/** FORBIDDEN unless `departmentId` is within the scope. */
export function assertInScope(scope: string[] | null, departmentId: string | null | undefined): void {
  if (scope && !(departmentId && scope.includes(departmentId))) {
    throw new DomainError("DEPARTMENT_NOT_YOURS", "This department is not one of yours");
  }
}
