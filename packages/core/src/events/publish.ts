import { events } from "@elsehu/db";
import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

export const EVENTS_CHANNEL = "elsehu_events";

export type EventAudience =
  /** Every authenticated user. */
  | { to: "ALL" }
  /** Supervisors and admins. */
  | { to: "STAFF" }
  /** One user, plus supervisors and admins. */
  | { to: "USER"; userId: string };

export type PublishInput = { kind: string; audience: EventAudience; payload: Record<string, unknown> };

/**
 * Records an event and NOTIFYs its id. Called inside the transaction that made
 * the change: listeners hear of it only if it commits (NOTIFY fires at commit),
 * and the payload stays far below NOTIFY's 8,000-byte limit.
 */
export async function publishEvent(tx: Tx, input: PublishInput): Promise<number> {
  const [row] = await tx
    .insert(events)
    .values({
      kind: input.kind,
      audience: input.audience.to,
      userId: input.audience.to === "USER" ? input.audience.userId : null,
      payload: input.payload,
    })
    .returning({ id: events.id });
  if (!row) throw new Error("event insert returned nothing");
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${String(row.id)})`);
  return row.id;
}
