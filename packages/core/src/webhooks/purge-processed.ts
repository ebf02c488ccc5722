import type { CoreContext } from "../shared/context";

export const DEFAULT_WEBHOOK_RETENTION_DAYS = 30;
const BATCH = 5_000;

/**
 * LGPD retention: raw webhook bodies carry customers' phones, names and
 * message texts, and so do the events delivered to outbound webhooks. Once
 * processed (an inbound body) or settled (a delivery that succeeded, failed
 * for good or was skipped), they are kept `webhookRetentionDays`
 * (WEBHOOK_RETENTION_DAYS, default 30) for replay and audit, then deleted.
 * Unprocessed bodies (the inbox) and pending deliveries are never purged.
 * Deletes in batches so a large backlog never holds one long lock.
 */
export async function purgeProcessedWebhooks(ctx: Pick<CoreContext, "sql" | "now" | "config">) {
  const days = ctx.config.webhookRetentionDays ?? DEFAULT_WEBHOOK_RETENTION_DAYS;
  const before = new Date(ctx.now().getTime() - days * 86_400_000).toISOString();
  let deleted = 0;
  for (;;) {
    const rows = await ctx.sql`
      delete from webhook_events where id in (
        select id from webhook_events
        where processed_at is not null and processed_at < ${before}::timestamptz
        limit ${BATCH})
      returning id`;
    deleted += rows.length;
    if (rows.length < BATCH) break;
  }
  let deliveries = 0;
  for (;;) {
    const rows = await ctx.sql`
      delete from webhook_deliveries where id in (
        select id from webhook_deliveries
        where status <> 'PENDING' and created_at < ${before}::timestamptz
        limit ${BATCH})
      returning id`;
    deliveries += rows.length;
    if (rows.length < BATCH) return { deleted, deliveries, before };
  }
}
