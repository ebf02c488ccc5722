import type { WebhookEvent } from "@elsehu/providers";
import type { InstanceRow } from "../instances/shape";
import { ingestPlainInbound, isPlainInbound, type PlainInbound } from "../messages/ingest-inbound-batch";
import type { CoreContext } from "../shared/context";
import { idArray } from "../shared/id-array";
import { applyEvent, cachedInstance, eventsOf } from "./apply-event";

/** Most plain messages in one statement (its events join messages to inputs pairwise); a longer run is split. */
const MAX_RUN = 200;

/**
 * Applies the events of stored webhooks in arrival order. Consecutive plain inbound
 * messages (the bulk of the traffic) are stored together by ingestPlainInbound; the
 * ones it leaves (new sender, no active conversation...) and every other event go
 * one by one. A run is cut before a message that quotes one of its own, so a reply
 * always finds what it quotes. Returns the webhooks that failed, with their error;
 * a failed webhook's later events are skipped (its retry applies them).
 */
async function applyWebhooks(
  ctx: CoreContext,
  rows: Array<{ id: number; instanceId: string; body: string }>,
  opts: { finalAttempt: boolean },
): Promise<{ failed: Map<number, unknown>; applied: Set<number> }> {
  const failed = new Map<number, unknown>();
  const applied = new Set<number>();
  /** Webhooks made only of plain messages (how many): marked applied by the run that stores them all. */
  const plainOnly = new Map<number, number>();
  let run: Array<PlainInbound & { webhookId: number }> = [];
  let runIds = new Set<string>();
  const flush = async () => {
    const batch = run;
    run = [];
    runIds = new Set();
    if (batch.length === 0) return;
    let handled: boolean[];
    try {
      const inRun = new Map<number, number>();
      for (const i of batch) inRun.set(i.webhookId, (inRun.get(i.webhookId) ?? 0) + 1);
      const markApplied = [...inRun].filter(([id, n]) => plainOnly.get(id) === n).map(([id]) => id);
      const result = await ingestPlainInbound(ctx, batch, { markApplied });
      handled = result.handled;
      for (const id of result.applied) applied.add(id);
    } catch (err) {
      for (const item of batch) if (!failed.has(item.webhookId)) failed.set(item.webhookId, err);
      return;
    }
    for (const [i, item] of batch.entries()) {
      if (handled[i] || failed.has(item.webhookId)) continue;
      await applyEvent(ctx, item.instance, item.event, opts).catch((err: unknown) => failed.set(item.webhookId, err));
    }
  };
  for (const row of rows) {
    let instance: InstanceRow;
    let events: WebhookEvent[];
    try {
      instance = await cachedInstance(ctx, row.instanceId);
      events = eventsOf(instance, JSON.parse(row.body));
    } catch (err) {
      failed.set(row.id, err);
      continue;
    }
    if (events.length > 0 && events.every((e) => isPlainInbound(e, ctx.config.optOutKeywords)))
      plainOnly.set(row.id, events.length);
    for (const event of events) {
      if (failed.has(row.id)) break;
      if (isPlainInbound(event, ctx.config.optOutKeywords)) {
        const quoted = event.replyToProviderMessageId;
        if (run.length >= MAX_RUN || (quoted && runIds.has(`${instance.id} ${quoted}`))) await flush();
        run.push({ instance, event, webhookId: row.id });
        runIds.add(`${instance.id} ${event.providerMessageId}`);
        continue;
      }
      await flush();
      if (failed.has(row.id)) break;
      await applyEvent(ctx, instance, event, opts).catch((err: unknown) => failed.set(row.id, err));
    }
  }
  await flush();
  return { failed, applied };
}

export type WebhookFailure = { webhookEventId: number; error: unknown };

/**
 * Applies stored webhooks in arrival order: one query loads the bodies not applied
 * yet (a retried batch skips what an earlier attempt did), one marks the applied
 * ones (those made only of plain messages are marked by the statement that stores
 * them). A failing webhook does not stop the others; the failures are returned, with
 * their message recorded on the row, for the caller to retry.
 */
export async function processWebhookEvents(
  ctx: CoreContext,
  ids: number[],
  opts: { finalAttempt: boolean } = { finalAttempt: true },
): Promise<WebhookFailure[]> {
  const rows = await ctx.sql<{ id: string; instance_id: string | null; body: string }[]>`
    select id, instance_id, body from webhook_events
    where id = any(${idArray(ids)}::bigint[]) and processed_at is null
    order by id`;
  const withInstance = rows.flatMap((r) =>
    r.instance_id ? [{ id: Number(r.id), instanceId: r.instance_id, body: r.body }] : [],
  );
  const { failed, applied } = await applyWebhooks(ctx, withInstance, opts);
  const failures: WebhookFailure[] = [...failed]
    .map(([webhookEventId, error]) => ({ webhookEventId, error }))
    .sort((a, b) => a.webhookEventId - b.webhookEventId);
  const done = rows.map((r) => Number(r.id)).filter((id) => !failed.has(id) && !applied.has(id));
  const errors = failures.map((f) => ({
    id: f.webhookEventId,
    error: f.error instanceof Error ? f.error.message : String(f.error),
  }));
  if (done.length > 0) {
    await ctx.sql`
      update webhook_events w set processed_at = now(), error = null
      where w.id = any(${idArray(done)}::bigint[])`;
  }
  if (errors.length > 0) {
    await ctx.sql`
      update webhook_events w set error = f.error
      from jsonb_to_recordset(${JSON.stringify(errors)}::jsonb) as f(id bigint, error text) where w.id = f.id`;
  }
  return failures;
}
