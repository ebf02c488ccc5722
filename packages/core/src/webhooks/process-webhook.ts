import type { StatusUpdate, WebhookEvent } from "@elsehu/providers";
import { SpanKind } from "@opentelemetry/api";
import type { TransactionSql } from "postgres";
import type { InstanceRow } from "../instances/shape";
import { applyStatusBatch } from "../messages/apply-status-batch";
import { ingestFirstInbound } from "../messages/ingest-first-batch";
import { ingestPlainInbound, isPlainInbound, type PlainInbound } from "../messages/ingest-inbound-batch";
import type { CoreContext } from "../shared/context";
import { idArray } from "../shared/sql-arrays";
import { tracingOn, withSpanIn } from "../telemetry/spans";
import { applyEvent, cachedInstance, eventsOf } from "./apply-event";

/** Most plain messages in one statement (its events join messages to inputs pairwise); a longer run is split. */
const MAX_RUN = 200;

/**
 * Applies the events of stored webhooks in arrival order. Consecutive plain inbound
 * messages and the statuses (the bulk of the traffic) are stored together, by
 * ingestPlainInbound and applyStatusBatch; the ones they leave (new sender, no active
 * conversation, a campaign's status...) and every other event go one by one, after
 * the plain run is flushed (statuses are flushed when their run is full and at the end). The two runs touch different rows (customers' messages,
 * our messages' ticks), so they need no order between them. A run is cut before a
 * message that quotes one of its own, so a reply always finds what it quotes.
 * With tracing on, statuses go one by one: each joins the trace of its send. Returns the webhooks that failed, with their error.
 * One failing event never holds back the others of its webhook: they are applied all
 * the same, and the webhook's retry applies it again (idempotent), so the failed one
 * is retried while its neighbours are already in the chat.
 */
async function applyWebhooks(
  ctx: CoreContext,
  rows: Array<{ id: number; instanceId: string; body: string; trace?: string | null }>,
  opts: { finalAttempt: boolean },
): Promise<Map<number, unknown>> {
  const failed = new Map<number, unknown>();
  let run: Array<PlainInbound & { webhookId: number; trace?: string | null }> = [];
  let runIds = new Set<string>();
  let statuses: Array<{ instance: InstanceRow; event: StatusUpdate; webhookId: number; trace?: string | null }> = [];
  const batchStatuses = !tracingOn();
  const flushStatuses = async () => {
    const batch = statuses;
    statuses = [];
    if (batch.length === 0) return;
    let handled: boolean[];
    try {
      handled = (
        await applyStatusBatch(
          ctx,
          batch.map((s) => ({ instanceId: s.instance.id, update: s.event })),
        )
      ).handled;
    } catch (err) {
      for (const item of batch) if (!failed.has(item.webhookId)) failed.set(item.webhookId, err);
      return;
    }
    for (const [i, item] of batch.entries()) {
      if (handled[i]) continue;
      await applyIn(item.trace, () => applyEvent(ctx, item.instance, item.event, opts)).catch((err: unknown) =>
        failed.set(item.webhookId, err),
      );
    }
  };
  const flushPlain = async () => {
    const batch = run;
    run = [];
    runIds = new Set();
    if (batch.length === 0) return;
    let handled: boolean[];
    try {
      // One statement for many webhooks: it joins the trace of the first (the others' traces end at their POST).
      handled = await withSpanIn(batch[0]?.trace, "inbound batch", () => ingestRun(ctx, batch), {
        attributes: { "elsehu.messages": batch.length },
      });
    } catch (err) {
      for (const item of batch) if (!failed.has(item.webhookId)) failed.set(item.webhookId, err);
      return;
    }
    for (const [i, item] of batch.entries()) {
      if (handled[i]) continue;
      await applyIn(item.trace, () => applyEvent(ctx, item.instance, item.event, opts)).catch((err: unknown) =>
        failed.set(item.webhookId, err),
      );
    }
  };
  const flush = async () => {
    await flushPlain();
    await flushStatuses();
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
    for (const event of events) {
      if (isPlainInbound(event, ctx.config.optOutKeywords)) {
        const quoted = event.replyToProviderMessageId;
        if (run.length >= MAX_RUN || (quoted && runIds.has(`${instance.id} ${quoted}`))) await flushPlain();
        run.push({ instance, event, webhookId: row.id, trace: row.trace });
        runIds.add(`${instance.id} ${event.providerMessageId}`);
        continue;
      }
      if (event.kind === "status" && batchStatuses) {
        if (statuses.length >= MAX_RUN) await flushStatuses();
        statuses.push({ instance, event, webhookId: row.id, trace: row.trace });
        continue;
      }
      // Statuses wait for the end of the batch (or a full run): they only move our messages' ticks forward,
      // which no event applied one by one reads, so a burst of replies and ticks keeps one status run.
      await flushPlain();
      await applyIn(row.trace, () => applyEvent(ctx, instance, event, opts)).catch((err: unknown) =>
        failed.set(row.id, err),
      );
    }
  }
  await flush();
  return failed;
}

/**
 * A run of plain messages: those to an active conversation in one statement, then the
 * first messages of customers without one in one transaction (tracing off); returns which were handled.
 */
async function ingestRun(ctx: CoreContext, batch: PlainInbound[]): Promise<boolean[]> {
  const { handled } = await ingestPlainInbound(ctx, batch);
  const left = batch.flatMap((item, i) => (handled[i] ? [] : [{ item, i }]));
  // With tracing on, a first message goes one by one: its webhook, the conversation it opens and that
  // conversation's assignment are one trace.
  if (left.length === 0 || tracingOn()) return handled;
  const first = await ingestFirstInbound(
    ctx,
    left.map((l) => l.item),
  );
  for (const [k, l] of left.entries()) if (first.handled[k]) handled[l.i] = true;
  return handled;
}

/** Applying one event continues the trace of the request that stored its webhook. */
const applyIn = (trace: string | null | undefined, fn: () => Promise<void>) =>
  withSpanIn(trace, "webhook apply", fn, { kind: SpanKind.CONSUMER });

export type WebhookFailure = { webhookEventId: number; error: unknown };

/** A stored webhook as the worker reads it (`instanceId` null: its instance was deleted). */
export type StoredWebhook = { id: number; instanceId: string | null; body: string; trace?: string | null };

/**
 * Applies stored webhooks in arrival order and marks the applied ones processed
 * through `mark` (the claiming transaction). A failing webhook does not stop the
 * others; the failures are returned for the caller to settle.
 */
export async function applyStoredWebhooks(
  ctx: CoreContext,
  rows: StoredWebhook[],
  opts: { finalAttempt: boolean; mark: TransactionSql },
): Promise<WebhookFailure[]> {
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  const withInstance = sorted.flatMap((r) => (r.instanceId ? [{ ...r, instanceId: r.instanceId }] : []));
  const failed = await applyWebhooks(ctx, withInstance, opts);
  const done = sorted.map((r) => r.id).filter((id) => !failed.has(id));
  if (done.length > 0) {
    await opts.mark`
      update webhook_events w set processed_at = now(), error = null,
        body = case when w.erase_when_settled then '' else w.body end
      where w.id = any(${idArray(done)}::bigint[])`;
  }
  return [...failed]
    .map(([webhookEventId, error]) => ({ webhookEventId, error }))
    .sort((a, b) => a.webhookEventId - b.webhookEventId);
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
