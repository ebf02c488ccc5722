import { departments, type InstanceRouting, serviceInstances } from "@elsehu/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { publicInstance } from "../instances/shape";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { anyUuid } from "../shared/sql-arrays";
import { SetRoutingInput } from "./routing-input";

/** Every department a routing sends customers to, with the field that names it. */
function departmentsOf(r: InstanceRouting): Array<{ id: string; field: string }> {
  if (r.mode === "DEPARTMENT") return [{ id: r.departmentId, field: "routing.departmentId" }];
  if (r.mode === "MENU") {
    return [
      ...r.options.map((o, i) => ({ id: o.departmentId, field: `routing.options.${i}.departmentId` })),
      { id: r.fallbackDepartmentId, field: "routing.fallbackDepartmentId" },
    ];
  }
  return [];
}

/**
 * Admins choose how a number routes new conversations: the global queue, one
 * department, or a menu whose options lead to departments (each one active).
 * Conversations already open keep their place; the next new one follows it.
 */
export async function setInstanceRouting(ctx: CoreContext, actor: Actor, raw: SetRoutingInput) {
  const input = SetRoutingInput.parse(raw);
  const routing = input.routing as InstanceRouting;
  return ctx.db.transaction(async (tx) => {
    const wanted = departmentsOf(routing);
    if (wanted.length > 0) {
      const found = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(
          and(
            anyUuid(
              departments.id,
              wanted.map((w) => w.id),
            ),
            isNull(departments.archivedAt),
          ),
        )
        .for("share");
      const active = new Set(found.map((d) => d.id));
      const missing = wanted.find((w) => !active.has(w.id));
      if (missing) {
        throw new DomainError("DEPARTMENT_UNKNOWN", `${missing.field}: unknown or archived department`, {
          field: missing.field,
        });
      }
    }
    const [row] = await tx
      .update(serviceInstances)
      .set({ routing: routing.mode === "GLOBAL" ? null : routing, updatedAt: ctx.now() })
      .where(eq(serviceInstances.id, input.instanceId))
      .returning();
    if (!row) throw notFound("Instance");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "instance.routing",
      targetType: "instance",
      targetId: row.id,
      data: { mode: routing.mode },
    });
    return publicInstance(ctx.config.encryptionKey, row);
  });
}
