import { sql } from "drizzle-orm";
import { requestAssignment } from "../conversations/request-assignment";
import type { CoreContext } from "../shared/context";
import { textArray, uuidArray } from "../shared/sql-arrays";
import { type PresenceChange, publishPresenceChanges } from "./presence-events";

/**
 * Records an authenticated socket. The user becomes ONLINE if he was OFFLINE
 * (a PAUSED user stays paused). `last_seen_at` is touched in the same
 * transaction: a concurrent sweep that re-checks the user row then sees him as
 * recently seen and cannot turn him OFFLINE on a stale snapshot.
 */
export async function openConnection(
  ctx: CoreContext,
  conn: { id: string; userId: string; nodeId: string },
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const changed = await tx.execute<PresenceChange & { old_presence: string }>(sql`
      update users u set last_seen_at = now(),
        presence = case when o.old_presence = 'OFFLINE' then 'ONLINE'::presence_status else u.presence end,
        presence_changed_at = case when o.old_presence = 'OFFLINE' then now() else u.presence_changed_at end
      from (select id, presence as old_presence from users where id = ${conn.userId} for no key update) o
      where u.id = o.id
      returning u.id, u.presence, u.pause_reason, u.presence_changed_at, o.old_presence`);
    // After the user row: the FK check's KEY SHARE lock must not come first, or two sockets deadlock.
    await tx.execute(sql`
      insert into presence_connections (id, user_id, node_id) values (${conn.id}, ${conn.userId}, ${conn.nodeId})
      on conflict (id) do nothing`);
    const became = changed.filter((c) => c.old_presence === "OFFLINE");
    if (became.length > 0) {
      await publishPresenceChanges(tx, became);
      await requestAssignment(tx, "online");
    }
  });
}

/** Forgets a closed socket. Whether the user goes OFFLINE is decided by the sweep, after the grace period. */
export async function closeConnection(ctx: CoreContext, conn: { id: string; userId: string }): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`delete from presence_connections where id = ${conn.id}`);
    await tx.execute(sql`update users set last_seen_at = now() where id = ${conn.userId}`);
  });
}

/**
 * An API process's heartbeat: marks the node alive and makes its rows match
 * the sockets it really holds (repairing writes lost to a database hiccup).
 * `live` is a snapshot taken before this runs: a socket opened since may already
 * have its row, so only rows older than the snapshot (with a margin) are removed.
 */
export async function beatNode(
  ctx: CoreContext,
  nodeId: string,
  live: Array<{ id: string; userId: string }>,
  snapshotAt: Date = new Date(),
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into api_nodes (id, heartbeat_at) values (${nodeId}, now())
      on conflict (id) do update set heartbeat_at = now()`);
    const ids = live.map((c) => c.id);
    const gone = await tx.execute<{ user_id: string }>(sql`
      delete from presence_connections where node_id = ${nodeId}
        and connected_at < ${snapshotAt.toISOString()}::timestamptz - interval '2 seconds'
        and not (id = any(${textArray(ids)}::text[]))
      returning user_id`);
    if (live.length > 0) {
      await tx.execute(sql`
        insert into presence_connections (id, user_id, node_id)
        select unnest(${textArray(ids)}::text[]), unnest(${uuidArray(live.map((c) => c.userId))}::uuid[]), ${nodeId}
        on conflict (id) do nothing`);
    }
    if (gone.length > 0) {
      const users = [...new Set(gone.map((g) => g.user_id))];
      await tx.execute(sql`update users set last_seen_at = now() where id = any(${uuidArray(users)}::uuid[])`);
    }
  });
}

/** A node shutting down cleanly: its sockets stop counting now (the grace period still applies). */
export async function retireNode(ctx: CoreContext, nodeId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`
      update users set last_seen_at = now()
      where id in (select user_id from presence_connections where node_id = ${nodeId})`);
    await tx.execute(sql`delete from presence_connections where node_id = ${nodeId}`);
    await tx.execute(sql`delete from api_nodes where id = ${nodeId}`);
  });
}

/**
 * The user's sockets held by the other live API processes (their presence rows; a process
 * that stopped beating no longer counts): with this process's own count, what a per-user
 * socket cap weighs when the API runs as several replicas.
 */
export async function socketsElsewhere(
  ctx: Pick<CoreContext, "db">,
  userId: string,
  nodeId: string,
  staleSeconds: number,
): Promise<number> {
  const [row] = await ctx.db.execute<{ n: number }>(sql`
    select count(*)::int as n from presence_connections pc join api_nodes n on n.id = pc.node_id
    where pc.user_id = ${userId} and pc.node_id <> ${nodeId}
      and n.heartbeat_at > now() - make_interval(secs => ${staleSeconds})`);
  return row?.n ?? 0;
}
