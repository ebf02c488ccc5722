import type { Sql } from "@elsehu/db";
import type { CoreContext } from "../shared/context";
import { idArray } from "../shared/sql-arrays";
import { applyStoredWebhooks, errorText, type WebhookFailure } from "./process-webhook";

/** NOTIFY channel of the webhook inbox: an acknowledgement's commit wakes the workers. */
export const WEBHOOKS_CHANNEL = "elsehu_webhooks";

export type InboxOptions = {
  /** Most webhooks one claim takes. */
  batch: number;
  /** Look only past this id (see the pump's cursor); 0 or absent: the whole inbox. */
  after?: number;
  /** Failed attempts of one webhook before it is given up (recorded as processed, with its error). */
  maxAttempts: number;
};

/** Seconds before a failed webhook's next attempt: 2, 4, 8… up to an hour. */
export const retryDelaySeconds = (failures: number) => Math.min(2 ** failures, 3600);

/**
 * The webhook inbox: every stored webhook not processed yet is a job, so the
 * acknowledgement that stores it has queued it in the same transaction. This works
 * one batch: in one transaction it claims the oldest due webhooks (FOR UPDATE SKIP
 * LOCKED: concurrent claims never share one), applies them (their messages commit
 * as they are stored, by other connections), and settles them before the commit:
 * applied ones are marked processed; a failed one is retried after
 * retryDelaySeconds, or given up on its last attempt (marked processed, its error
 * kept on record). A worker that dies, or loses the database, mid-batch releases its
 * claim with its connection: the batch is claimed again, and applying is idempotent.
 * Each claim is also counted in webhook_claims by its own commit, cleared when the
 * batch settles: a claim that never settled was a crash, and counts as a failed
 * attempt, so a webhook that kills its worker is given up instead of looping forever.
 *
 * `claims` holds the claiming transaction for the whole batch, while the messages are
 * written through ctx.sql: give it connections of its own (one per batch at once),
 * or batches holding every connection of a shared pool would wait on each other.
 */
export async function workWebhookBatch(
  ctx: CoreContext,
  claims: Sql,
  opts: InboxOptions,
): Promise<{ claimed: number; lastId: number; failures: WebhookFailure[] }> {
  return claims.begin(async (tx) => {
    const rows = await tx<
      { id: string; instance_id: string | null; body: string; attempts: number; trace: string | null }[]
    >`
      select id, instance_id, body, attempts, trace from webhook_events
      where processed_at is null and (locked_until is null or locked_until <= now()) and id > ${opts.after ?? 0}
      order by id limit ${opts.batch}
      for update skip locked`;
    if (rows.length === 0) return { claimed: 0, lastId: 0, failures: [] };
    // Counted outside the claim, committed now: a worker that dies applying these rolls its claim
    // back, not this count. Unsettled earlier claims (a crash each) count as failed attempts.
    const counted = await ctx.sql<{ id: string; claims: number }[]>`
      insert into webhook_claims (webhook_event_id, claims)
      select unnest(${idArray(rows.map((r) => Number(r.id)))}::bigint[]), 1
      on conflict (webhook_event_id) do update set claims = webhook_claims.claims + 1
      returning webhook_event_id as id, claims`;
    const crashes = new Map(counted.map((c) => [Number(c.id), c.claims - 1]));
    const claimed = rows.map((r) => ({
      id: Number(r.id),
      instanceId: r.instance_id,
      body: r.body,
      trace: r.trace,
      attempts: r.attempts + (crashes.get(Number(r.id)) ?? 0),
    }));
    const ids = claimed.map((w) => w.id);
    const crashed = claimed.filter((w) => w.attempts >= opts.maxAttempts);
    if (crashed.length > 0) {
      await tx`
        update webhook_events set processed_at = now(), locked_until = null,
          attempts = ${opts.maxAttempts}, error = 'given up: its worker stopped while applying it, every attempt',
          body = case when erase_when_settled then '' else body end
        where id = any(${idArray(crashed.map((w) => w.id))}::bigint[])`;
      for (const w of crashed) ctx.log.error({ webhookEventId: w.id }, "webhook given up after crashes");
    }
    const live = claimed.filter((w) => w.attempts < opts.maxAttempts);
    // On its last attempt a webhook applies what it can (e.g. drops a status that matches nothing).
    const isLast = (w: (typeof claimed)[number]) => w.attempts + 1 >= opts.maxAttempts;
    const failures = [
      ...(await applyStoredWebhooks(
        ctx,
        live.filter((w) => !isLast(w)),
        { finalAttempt: false, mark: tx },
      )),
      ...(await applyStoredWebhooks(ctx, live.filter(isLast), { finalAttempt: true, mark: tx })),
    ];
    // Settled (this transaction commits): the claims no longer count as crashes.
    await tx`delete from webhook_claims where webhook_event_id = any(${idArray(ids)}::bigint[])`;
    if (failures.length > 0) {
      const attempts = new Map(claimed.map((w) => [w.id, w.attempts + 1]));
      const settled = failures.map((f) => {
        const n = attempts.get(f.webhookEventId) ?? opts.maxAttempts;
        return {
          id: f.webhookEventId,
          attempts: n,
          given_up: n >= opts.maxAttempts,
          delay: retryDelaySeconds(n),
          error: errorText(f.error),
        };
      });
      await tx`
        update webhook_events w set attempts = s.attempts, error = s.error,
          processed_at = case when s.given_up then now() end,
          body = case when s.given_up and w.erase_when_settled then '' else w.body end,
          locked_until = case when s.given_up then null else now() + make_interval(secs => s.delay) end
        from jsonb_to_recordset(${JSON.stringify(settled)}::jsonb)
          as s(id bigint, attempts int, given_up boolean, delay int, error text)
        where w.id = s.id`;
      for (const s of settled) {
        if (s.given_up) ctx.log.error({ webhookEventId: s.id, error: s.error }, "webhook given up");
      }
    }
    return { claimed: claimed.length, lastId: claimed[claimed.length - 1]?.id ?? 0, failures };
  });
}
