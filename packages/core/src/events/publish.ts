import { events } from "@elsehu/db";
import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { bug } from "../shared/errors";

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
  // One round trip: insert and NOTIFY in the same statement (this runs once per message and status).
  const rows = await tx.execute<{ id: string }>(sql`
    with e as (
      insert into ${events} (kind, audience, user_id, payload)
      values (${input.kind}, ${input.audience.to}, ${input.audience.to === "USER" ? input.audience.userId : null},
        ${JSON.stringify(input.payload)}::jsonb)
      returning id
    )
    select id, pg_notify(${EVENTS_CHANNEL}, id::text) from e`);
  const row = rows[0];
  if (!row) throw bug("event insert returned nothing");
  return Number(row.id);
}
