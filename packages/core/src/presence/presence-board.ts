import { sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { NODE_STALE_SECONDS } from "./sweep-presence";

/**
 * Every active operator and supervisor with status, time of the last status
 * change (the console derives "time in status"), open count, capacity and last assignment.
 */
export async function presenceBoard(ctx: Pick<CoreContext, "db">) {
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
  }>(sql`
    select u.id, u.name, u.role, u.presence, u.pause_reason, u.presence_changed_at, u.max_concurrent, u.last_assigned_at,
      (select count(*)::int from conversations c where c.operator_id = u.id and c.status = 'OPEN') as open_count,
      (select count(*)::int from presence_connections pc join api_nodes n on n.id = pc.node_id
        where pc.user_id = u.id and n.heartbeat_at > now() - make_interval(secs => ${NODE_STALE_SECONDS})) as sockets
    from users u where u.active and u.role in ('OPERATOR', 'SUPERVISOR')
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
  }));
}
