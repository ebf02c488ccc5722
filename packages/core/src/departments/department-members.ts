import { departmentMembers, departments, users } from "@elsehu/db";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { requestAssignment } from "../conversations/request-assignment";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { anyUuid } from "../shared/sql-arrays";

export const SetDepartmentMembersInput = z.object({
  departmentId: z.string().uuid(),
  members: z
    .array(
      z.object({
        userId: z.string().uuid(),
        /** Capacity for this department's conversations instead of the operator's own (1–100). */
        maxConcurrent: z.number().int().min(1).max(100).nullable().default(null),
      }),
    )
    .max(500)
    .refine((m) => new Set(m.map((x) => x.userId)).size === m.length, "a user is listed twice"),
});
export type SetDepartmentMembersInput = z.input<typeof SetDepartmentMembersInput>;

/** A department's members with their names, role in it and capacity override. */
export async function listDepartmentMembers(ctx: Pick<CoreContext, "db">, departmentId: string) {
  return ctx.db
    .select({
      userId: departmentMembers.userId,
      name: users.name,
      email: users.email,
      role: departmentMembers.role,
      maxConcurrent: departmentMembers.maxConcurrent,
      userMaxConcurrent: users.maxConcurrent,
      presence: users.presence,
      active: users.active,
    })
    .from(departmentMembers)
    .innerJoin(users, eq(users.id, departmentMembers.userId))
    .where(eq(departmentMembers.departmentId, departmentId))
    .orderBy(asc(users.name));
}

/**
 * Replaces a department's members. Operators become its agents; supervisors
 * watch it (and, once in any department, see only their departments). The
 * queue is drained afterwards: a new member may be online with room.
 */
export async function setDepartmentMembers(ctx: CoreContext, actor: Actor, raw: SetDepartmentMembersInput) {
  const input = SetDepartmentMembersInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [dep] = await tx.select().from(departments).where(eq(departments.id, input.departmentId)).for("update");
    if (!dep) throw notFound("Department");
    const ids = input.members.map((m) => m.userId);
    const found = ids.length ? await tx.select().from(users).where(anyUuid(users.id, ids)) : [];
    const byId = new Map(found.map((u) => [u.id, u]));
    const rows = input.members.map((m, i) => {
      const u = byId.get(m.userId);
      if (!u || u.role === "ADMIN") {
        throw new DomainError("DEPARTMENT_MEMBER_INVALID", `members.${i}.userId: not an operator or supervisor`, {
          field: `members.${i}.userId`,
        });
      }
      const role = u.role === "OPERATOR" ? ("OPERATOR" as const) : ("SUPERVISOR" as const);
      return {
        departmentId: dep.id,
        userId: u.id,
        role,
        maxConcurrent: role === "OPERATOR" ? m.maxConcurrent : null,
      };
    });
    await tx.delete(departmentMembers).where(eq(departmentMembers.departmentId, dep.id));
    if (rows.length) await tx.insert(departmentMembers).values(rows);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "department.members",
      targetType: "department",
      targetId: dep.id,
      data: { members: ids.length },
    });
    await requestAssignment(tx, "queued");
    return { departmentId: dep.id, members: rows.length };
  });
}

/** The departments a user belongs to (any role). */
export async function userDepartmentIds(ctx: { db: Tx }, userId: string, role?: "OPERATOR" | "SUPERVISOR") {
  const rows = await ctx.db
    .select({ id: departmentMembers.departmentId })
    .from(departmentMembers)
    .where(and(eq(departmentMembers.userId, userId), role ? eq(departmentMembers.role, role) : undefined));
  return rows.map((r) => r.id);
}
