import { sql } from "drizzle-orm";
import { publishEvents } from "../events/publish";
import type { CoreContext } from "../shared/context";
import { conversationEvents } from "./conversation-events";
import { requestAssignment } from "./request-assignment";

/**
 * Ends as EXPIRED every waiting or open conversation with no inbound message
 * for `conversationTtlSeconds` (counted from the last inbound message, or from
 * creation or the last assignment when more recent, so a conversation just
 * reopened or handed over is not ended at once). Freed slots drain the queue.
 * Runs in batches with SKIP LOCKED so overlapping runs split the work.
 */
export async function expireIdleConversations(ctx: CoreContext, opts: { batch?: number } = {}): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ctx.config.conversationTtlSeconds * 1000);
  let total = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const rows = await tx.execute<{
        id: string;
        operator_id: string | null;
        contact_id: string;
        instance_id: string;
      }>(sql`
        with idle as (
          select id from conversations
          where status in ('WAITING', 'OPEN')
            and greatest(created_at, last_inbound_at, assigned_at) < ${cutoff.toISOString()}::timestamptz
          order by created_at limit ${opts.batch ?? 500} for update skip locked)
        update conversations c set status = 'EXPIRED', closed_at = ${ctx.now().toISOString()}::timestamptz
        from idle where c.id = idle.id
        returning c.id, c.operator_id, c.contact_id, c.instance_id`);
      if (rows.length === 0) return 0;
      await publishEvents(
        tx,
        rows.flatMap((r) =>
          conversationEvents("conversation.expired", {
            id: r.id,
            status: "EXPIRED",
            operatorId: r.operator_id,
            contactId: r.contact_id,
            instanceId: r.instance_id,
          }),
        ),
      );
      await requestAssignment(tx, "expired");
      return rows.length;
    });
    total += n;
    if (n === 0) return total;
  }
}
