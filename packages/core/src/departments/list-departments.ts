import { departments } from "@elsehu/db";
import { and, isNull, sql } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { anyUuid } from "../shared/sql-arrays";
import { assertInScope, departmentScope } from "./department-scope";
import { isOpenAt } from "./hours";
import type { DepartmentRow } from "./manage-departments";

export function shapeDepartment(d: DepartmentRow) {
  return {
    id: d.id,
    name: d.name,
    color: d.color,
    hours: d.hours,
    outOfHoursMessage: d.outOfHoursMessage,
    outOfHoursTabulationId: d.outOfHoursTabulationId,
    greetingMessage: d.greetingMessage,
    farewellMessage: d.farewellMessage,
    csatEnabled: d.csatEnabled,
    csatQuestion: d.csatQuestion,
    archived: d.archivedAt !== null,
    createdAt: d.createdAt,
  };
}

type Live = { id: string; waiting: number; open: number; online: number; members: number };

/**
 * Departments the viewer may see, by name, with their live figures (waiting,
 * open, members online) and whether they are open now. Operators get every
 * active one (to transfer to), without the figures' scope limits.
 */
export async function listDepartments(ctx: CoreContext, viewer: Actor, opts: { includeArchived?: boolean } = {}) {
  const scope = await departmentScope(ctx, viewer);
  const rows = await ctx.db
    .select()
    .from(departments)
    .where(
      and(
        opts.includeArchived ? undefined : isNull(departments.archivedAt),
        scope ? anyUuid(departments.id, scope) : undefined,
      ),
    )
    .orderBy(sql`lower(${departments.name})`);
  const live = await ctx.db.execute<Live>(sql`
    select d.id,
      (select count(*)::int from conversations c where c.department_id = d.id and c.status = 'WAITING') as waiting,
      (select count(*)::int from conversations c where c.department_id = d.id and c.status = 'OPEN') as open,
      (select count(*)::int from department_members m join users u on u.id = m.user_id
        where m.department_id = d.id and m.role = 'OPERATOR' and u.active and u.presence = 'ONLINE') as online,
      (select count(*)::int from department_members m where m.department_id = d.id) as members
    from departments d`);
  const byId = new Map(live.map((l) => [l.id, l]));
  const now = ctx.now();
  return rows.map((d) => {
    const l = byId.get(d.id);
    return {
      ...shapeDepartment(d),
      openNow: isOpenAt(d.hours, now, ctx.config.timezone),
      waiting: l?.waiting ?? 0,
      openConversations: l?.open ?? 0,
      online: l?.online ?? 0,
      members: l?.members ?? 0,
    };
  });
}

/** One department, if the viewer may see it. */
export async function getDepartment(ctx: CoreContext, viewer: Actor, id: string) {
  const d = await ctx.db.query.departments.findFirst({ where: (t, { eq }) => eq(t.id, id) });
  if (!d) throw notFound("Department");
  assertInScope(await departmentScope(ctx, viewer), d.id);
  return { ...shapeDepartment(d), openNow: isOpenAt(d.hours, ctx.now(), ctx.config.timezone) };
}
