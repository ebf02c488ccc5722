import { departments, tabulations } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { CreateDepartmentInput, UpdateDepartmentInput } from "./department-input";

export type DepartmentRow = typeof departments.$inferSelect;

const duplicate = (name: string) =>
  new DomainError("DEPARTMENT_NAME_TAKEN", `A department named "${name}" already exists`);

async function checkTabulation(tx: Tx, id: string | null | undefined) {
  if (!id) return;
  const [tab] = await tx.select().from(tabulations).where(eq(tabulations.id, id));
  if (!tab?.active) {
    throw new DomainError("TABULATION_INACTIVE", "outOfHoursTabulationId: unknown or inactive tabulation", {
      field: "outOfHoursTabulationId",
    });
  }
}

/** Admins create a department (fila/setor); names are unique regardless of case. */
export async function createDepartment(ctx: CoreContext, actor: Actor, raw: CreateDepartmentInput) {
  const input = CreateDepartmentInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      await checkTabulation(tx, input.outOfHoursTabulationId);
      const [row] = await tx.insert(departments).values(input).returning();
      if (!row) throw bug("department insert returned nothing");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "department.create",
        targetType: "department",
        targetId: row.id,
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.name);
    throw err;
  }
}

/** Admins change any subset of a department's fields. */
export async function updateDepartment(ctx: CoreContext, actor: Actor, raw: UpdateDepartmentInput) {
  const { id, ...fields } = UpdateDepartmentInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      await checkTabulation(tx, fields.outOfHoursTabulationId);
      const [row] = await tx
        .update(departments)
        .set({ ...fields, updatedAt: ctx.now() })
        .where(eq(departments.id, id))
        .returning();
      if (!row) throw notFound("Department");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "department.update",
        targetType: "department",
        targetId: id,
        data: { fields: Object.keys(fields) },
      });
      return row;
    });
  } catch (err) {
    if (fields.name && isUniqueViolation(err)) throw duplicate(fields.name);
    throw err;
  }
}

/**
 * Archives (or restores) a department. An archived one is no longer offered for
 * transfers or routing; conversations already in it are still served by its members.
 */
export async function archiveDepartment(ctx: CoreContext, actor: Actor, input: { id: string; archived: boolean }) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(departments)
      .set({ archivedAt: input.archived ? ctx.now() : null, updatedAt: ctx.now() })
      .where(eq(departments.id, input.id))
      .returning();
    if (!row) throw notFound("Department");
    await recordAudit(tx, {
      actorId: actor.id,
      action: input.archived ? "department.archive" : "department.restore",
      targetType: "department",
      targetId: row.id,
    });
    return row;
  });
}
