import { sql } from "drizzle-orm";
import { departmentScope } from "../departments/department-scope";
import type { Actor, CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { NODE_STALE_SECONDS } from "./sweep-presence";

/**
 * Every active operator and supervisor with status, time of the last status
 * change (the console derives "time in status"), open count, capacity, last
 * assignment and the departments he serves. A supervisor limited to some
 * departments sees their members only (and himself).
 */
export async function presenceBoard(ctx: Pick<CoreContext, "db">, viewer: Actor) {
  const scope = await departmentScope(ctx, viewer);
  const inScope = scope
    ? sql`and (u.id = ${viewer.id} or exists (select 1 from department_members sm
        where sm.user_id = u.id and sm.department_id = any(${uuidArray(scope)}::uuid[])))`
    : sql``;
  const rows = await ctx.db.execute<{
    id: string;
    name: string;
    role: "ADMIN" | "SUPERVISOR" | "OPERATOR";
    presence: "OFFLINE" | "ONLINE" | "PAUSED";
    pause_reason: string | null;
    presence_changed_at: Date | string;
    max_concurrent: number;
    last_assigned_at: Date | string | null;
    open_count: number;
    sockets: number;
    department_ids: string[];
  }>(sql`
    select u.id, u.name, u.role, u.presence, u.pause_reason, u.presence_changed_at, u.max_concurrent, u.last_assigned_at,
      (select count(*)::int from conversations c where c.operator_id = u.id and c.status = 'OPEN') as open_count,
      (select count(*)::int from presence_connections pc join api_nodes n on n.id = pc.node_id
        where pc.user_id = u.id and n.heartbeat_at > now() - make_interval(secs => ${NODE_STALE_SECONDS})) as sockets,
      array(select dm.department_id::text from department_members dm
        where dm.user_id = u.id and dm.role = 'OPERATOR' order by dm.department_id) as department_ids
    from users u where u.active and u.role in ('OPERATOR', 'SUPERVISOR') ${inScope}
    order by u.role desc, u.name`);
  return rows.map((r) => ({
    userId: r.id,
    name: r.name,
    role: r.role,
    presence: r.presence,
    pauseReason: r.pause_reason,
    presenceChangedAt: new Date(r.presence_changed_at),
    maxConcurrent: r.max_concurrent,
    /** Last time he was given a conversation: the console shows idle time from it. */
    lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
    openCount: r.open_count,
    sockets: r.sockets,
    /** The departments he serves as an operator (none: only the global queue). */
    departmentIds: r.department_ids,
  }));
}
