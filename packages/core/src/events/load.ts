import { events } from "@elsehu/db";
import { and, asc, gt, gte, sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import type { StoredEvent } from "./visibility";

/** Events are kept this long for reconnect catch-up. */
export const EVENT_RETENTION_MS = 24 * 3600 * 1000;

/**
 * The ids go as one JSON parameter: `in ($1, …, $n)` made a new prepared statement
 * (and a describe round trip) for every batch size the realtime hub happened to load.
 */
export async function loadEventsByIds(ctx: Pick<CoreContext, "db">, ids: number[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  return ctx.db
    .select()
    .from(events)
    .where(sql`${events.id} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`)
    .orderBy(asc(events.id));
}

/** Backlog after `afterId`, oldest first, within the retention window. */
export async function loadEventsAfter(
  ctx: Pick<CoreContext, "db" | "now">,
  afterId: number,
  limit = 1000,
): Promise<StoredEvent[]> {
  const since = new Date(ctx.now().getTime() - EVENT_RETENTION_MS);
  return ctx.db
    .select()
    .from(events)
    .where(and(gt(events.id, afterId), gte(events.createdAt, since)))
    .orderBy(asc(events.id))
    .limit(limit);
}
