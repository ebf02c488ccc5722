import { sql } from "drizzle-orm";
import { requestAssignment } from "../conversations/request-assignment";
import type { CoreContext } from "../shared/context";
import { type PresenceChange, publishPresenceChanges } from "./presence-events";

/** A node whose heartbeat is older than this is dead: its sockets stop counting. */
export const NODE_STALE_SECONDS = 45;

/**
 * SQL: the user has a socket on a live API process. A process could not beat while
 * the database was down, so after a database restart every process gets the whole
 * stale period again (counted from the restart) before its sockets stop counting:
 * an outage longer than that period does not log connected operators out.
 */
const liveConnection = (staleSeconds: number) => sql`exists (
  select 1 from presence_connections pc join api_nodes n on n.id = pc.node_id
  where pc.user_id = users.id
    and greatest(n.heartbeat_at, pg_postmaster_start_time()) > now() - make_interval(secs => ${staleSeconds}))`;

/**
 * Reconciles `users.presence` with the live sockets; safe to run from every API
 * process and worker at once (each transition is one conditional UPDATE).
 * - OFFLINE: no live socket and last seen more than `graceSeconds` ago. The
 *   user keeps his open conversations (they are not reassigned automatically);
 *   a pause ends with the session.
 * - ONLINE: an OFFLINE user who has a live socket (repairs a lost race).
 * Also forgets sockets of nodes dead for minutes.
 */
export async function sweepPresence(
  ctx: CoreContext,
  opts: { graceSeconds: number; staleSeconds?: number },
): Promise<{ offline: string[]; online: string[] }> {
  const stale = opts.staleSeconds ?? NODE_STALE_SECONDS;
  return ctx.db.transaction(async (tx) => {
    const offline = await tx.execute<PresenceChange>(sql`
      update users set presence = 'OFFLINE', pause_reason = null, presence_changed_at = now()
      where presence <> 'OFFLINE'
        and (last_seen_at is null or last_seen_at < now() - make_interval(secs => ${opts.graceSeconds}))
        and not ${liveConnection(stale)}
      returning id, presence, pause_reason, presence_changed_at`);
    const online = await tx.execute<PresenceChange>(sql`
      update users set presence = 'ONLINE', presence_changed_at = now()
      where presence = 'OFFLINE' and ${liveConnection(stale)}
      returning id, presence, pause_reason, presence_changed_at`);
    await publishPresenceChanges(tx, [...offline, ...online]);
    if (online.length > 0) await requestAssignment(tx, "online");
    await tx.execute(sql`
      delete from presence_connections where node_id in (
        select id from api_nodes where heartbeat_at < now() - interval '10 minutes')`);
    await tx.execute(sql`delete from api_nodes where heartbeat_at < now() - interval '10 minutes'`);
    return { offline: offline.map((r) => r.id), online: online.map((r) => r.id) };
  });
}
