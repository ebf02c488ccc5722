import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

/**
 * Whether this instance has a send whose provider call started in the last two
 * minutes without its provider id saved yet. A status or echo webhook for an
 * unknown provider id may belong to it (the provider answered the webhook before
 * our worker stored its response), so such webhooks are retried a little later.
 */
export async function hasSendInFlight(tx: Tx, instanceId: string): Promise<boolean> {
  const rows = await tx.execute(sql`
    select 1 from messages
    where instance_id = ${instanceId} and direction = 'OUT' and status = 'QUEUED'
      and provider_message_id is null and (content->>'attemptAt')::timestamptz > now() - interval '2 minutes'
    limit 1`);
  return rows.length > 0;
}
