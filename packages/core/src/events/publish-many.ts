import { events } from "@elsehu/db";
import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { EVENTS_CHANNEL, type PublishInput } from "./publish";

/**
 * Bulk form of `publishEvent` for verbs that change many rows at once (queue
 * drains, expiry sweeps): one insert and one NOTIFY statement per chunk.
 */
export async function publishEvents(tx: Tx, inputs: PublishInput[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < inputs.length; i += 1000) {
    const chunk = inputs.slice(i, i + 1000);
    const rows = await tx
      .insert(events)
      .values(
        chunk.map((e) => ({
          kind: e.kind,
          audience: e.audience.to,
          userId: e.audience.to === "USER" ? e.audience.userId : null,
          payload: e.payload,
        })),
      )
      .returning({ id: events.id });
    const chunkIds = rows.map((r) => r.id);
    await tx.execute(
      sql`select pg_notify(${EVENTS_CHANNEL}, x::text) from unnest(${`{${chunkIds.join(",")}}`}::bigint[]) as x`,
    );
    ids.push(...chunkIds);
  }
  return ids;
}
