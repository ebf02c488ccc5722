import { conversations, tabulations } from "@elsehu/db";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";

const Name = z.string().trim().min(1, "name is required").max(80);
export const CreateTabulationInput = z.object({ name: Name });
export type CreateTabulationInput = z.input<typeof CreateTabulationInput>;
export const RenameTabulationInput = z.object({ id: z.string().uuid(), name: Name });
export type RenameTabulationInput = z.input<typeof RenameTabulationInput>;
export const SetTabulationActiveInput = z.object({ id: z.string().uuid(), active: z.boolean() });
export type SetTabulationActiveInput = z.input<typeof SetTabulationActiveInput>;

const duplicate = (name: string) =>
  new DomainError("TABULATION_NAME_TAKEN", `A tabulation named "${name}" already exists`);

/** Tabulations, active ones only unless `includeInactive` (admins managing them). */
export function listTabulations(ctx: Pick<CoreContext, "db">, opts: { includeInactive?: boolean } = {}) {
  return ctx.db
    .select()
    .from(tabulations)
    .where(opts.includeInactive ? undefined : eq(tabulations.active, true))
    .orderBy(asc(tabulations.name));
}

export async function createTabulation(ctx: CoreContext, actor: Actor, raw: CreateTabulationInput) {
  const input = CreateTabulationInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(tabulations).values({ name: input.name }).returning();
      if (!row) throw bug("tabulation insert returned nothing");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "tabulation.create",
        targetType: "tabulation",
        targetId: row.id,
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.name);
    throw err;
  }
}

export async function renameTabulation(ctx: CoreContext, actor: Actor, raw: RenameTabulationInput) {
  const input = RenameTabulationInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .update(tabulations)
        .set({ name: input.name })
        .where(eq(tabulations.id, input.id))
        .returning();
      if (!row) throw notFound("Tabulation");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "tabulation.rename",
        targetType: "tabulation",
        targetId: row.id,
        data: { name: input.name },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(input.name);
    throw err;
  }
}

export async function setTabulationActive(ctx: CoreContext, actor: Actor, raw: SetTabulationActiveInput) {
  const input = SetTabulationActiveInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(tabulations)
      .set({ active: input.active })
      .where(eq(tabulations.id, input.id))
      .returning();
    if (!row) throw notFound("Tabulation");
    await recordAudit(tx, {
      actorId: actor.id,
      action: input.active ? "tabulation.activate" : "tabulation.deactivate",
      targetType: "tabulation",
      targetId: row.id,
    });
    return row;
  });
}

/**
 * Removes a tabulation: deleted when no conversation ever used it, otherwise
 * only deactivated, so closed conversations and reports keep their category.
 */
export async function removeTabulation(ctx: CoreContext, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(tabulations).where(eq(tabulations.id, id)).for("update");
    if (!row) throw notFound("Tabulation");
    const [used] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.tabulationId, id))
      .limit(1);
    if (used) {
      await tx.update(tabulations).set({ active: false }).where(eq(tabulations.id, id));
    } else {
      await tx.delete(tabulations).where(eq(tabulations.id, id));
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: used ? "tabulation.deactivate" : "tabulation.delete",
      targetType: "tabulation",
      targetId: id,
    });
    return { deleted: !used, deactivated: Boolean(used) };
  });
}
