import { events } from "@elsehu/db";
import { and, asc, gt, gte } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { anyId } from "../shared/sql-arrays";
import type { StoredEvent } from "./catalog";

/** Events are kept this long for reconnect catch-up. */
export const EVENT_RETENTION_MS = 24 * 3600 * 1000;

export async function loadEventsByIds(ctx: Pick<CoreContext, "db">, ids: number[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  return asCatalog(await ctx.db.select().from(events).where(anyId(events.id, ids)).orderBy(asc(events.id)));
}

/** Backlog after `afterId`, oldest first, within the retention window. */
export async function loadEventsAfter(
  ctx: Pick<CoreContext, "db" | "now">,
  afterId: number,
  limit = 1000,
): Promise<StoredEvent[]> {
  const since = new Date(ctx.now().getTime() - EVENT_RETENTION_MS);
  return asCatalog(
    await ctx.db
      .select()
      .from(events)
      .where(and(gt(events.id, afterId), gte(events.createdAt, since)))
      .orderBy(asc(events.id))
      .limit(limit),
  );
}

/**
 * Rows of `events` as catalog events. Every row is written by the one publisher
 * (`events/publish.ts`), whose input is a `PublishInput`, so the kind/payload
 * pairing holds; the table's column types (in db, which cannot see core) are wider.
 */
function asCatalog(rows: (typeof events.$inferSelect)[]): StoredEvent[] {
  return rows as StoredEvent[];
}
