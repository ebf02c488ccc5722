import { auditLog, users } from "@elsehu/db";
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";

export const ListAuditInput = z.object({
  actorId: z.string().uuid().optional(),
  action: z
    .string()
    .trim()
    .max(60)
    .regex(/^[a-z_.]+$/, "action: letters, dots and underscores only")
    .optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** The id of the last entry of the previous page. */
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type ListAuditInput = z.input<typeof ListAuditInput>;

/**
 * The audit log, newest first, filtered by actor, action and period
 * (`from` ≤ created_at ≤ `to`); `nextCursor` is the last id of the page when
 * more may follow. Admins only (the router checks).
 */
export async function listAudit(ctx: Pick<CoreContext, "db">, raw: ListAuditInput) {
  const input = ListAuditInput.parse(raw);
  const where: SQL[] = [];
  if (input.actorId) where.push(eq(auditLog.actorId, input.actorId));
  if (input.action) where.push(eq(auditLog.action, input.action));
  if (input.from) where.push(gte(auditLog.createdAt, input.from));
  if (input.to) where.push(lte(auditLog.createdAt, input.to));
  if (input.cursor) where.push(lt(auditLog.id, Number(input.cursor)));
  const rows = await ctx.db
    .select({
      id: auditLog.id,
      at: auditLog.createdAt,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      data: auditLog.data,
      actorId: auditLog.actorId,
      actorName: users.name,
      actorEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      at: r.at,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      data: r.data,
      actor: r.actorId ? { id: r.actorId, name: r.actorName ?? "", email: r.actorEmail ?? "" } : null,
    })),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id.toString() ?? null) : null,
  };
}
