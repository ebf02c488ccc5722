import { type MessageMedia, messages } from "@elsehu/db";
import {
  type InboundMessage,
  parseEvolutionWebhook,
  parseMetaWebhook,
  type StatusUpdate,
  type WebhookEvent,
} from "@elsehu/providers";
import { and, eq } from "drizzle-orm";
import { applyCampaignStatus } from "../campaigns/apply-campaign-status";
import { changeContactNumber } from "../contacts/change-number";
import { setConnectionStatus } from "../instances/evolution-connection";
import { loadInstance } from "../instances/list-instances";
import type { InstanceRow } from "../instances/shape";
import { applyEdit } from "../messages/apply-edit";
import { applyReaction } from "../messages/apply-reaction";
import { applyRevoke } from "../messages/apply-revoke";
import { applyStatus } from "../messages/apply-status";
import { inlineMedia } from "../messages/inbound-media";
import { ingestInbound, messageIdByProviderId } from "../messages/ingest-inbound";
import { RetryLater } from "../messages/message-events";
import type { CoreContext } from "../shared/context";
import { activeLink, tracingOn, withSpan, withSpanIn } from "../telemetry/spans";

/** Instances change rarely; a per-context cache saves a query per webhook on the hot path. */
const instanceCaches = new WeakMap<CoreContext, Map<string, { row: InstanceRow; at: number }>>();
export async function cachedInstance(ctx: CoreContext, id: string): Promise<InstanceRow> {
  let cache = instanceCaches.get(ctx);
  if (!cache) {
    cache = new Map();
    instanceCaches.set(ctx, cache);
  }
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < 5000) return hit.row;
  const row = await loadInstance(ctx, id);
  cache.set(id, { row, at: Date.now() });
  return row;
}

export function eventsOf(instance: InstanceRow, body: unknown): WebhookEvent[] {
  if (instance.provider === "EVOLUTION") return parseEvolutionWebhook(body).events;
  return parseMetaWebhook(body)
    .filter((batch) => batch.phoneNumberId === instance.metaPhoneNumberId)
    .flatMap((batch) => batch.events);
}

/**
 * One event of a stored webhook, the one-by-one way. Safe to run any number of
 * times (messages dedupe on provider id, statuses only move forward), which is
 * what makes redelivery and job retries harmless.
 */
export async function applyEvent(
  ctx: CoreContext,
  instance: InstanceRow,
  event: WebhookEvent,
  opts: { finalAttempt: boolean },
): Promise<void> {
  if (event.kind === "message") {
    await withSpan("messages inbound", () => applyMessage(ctx, instance, event, opts));
  } else if (event.kind === "status") {
    const status = async () => {
      const applied = await ctx.db.transaction((tx) => applyStatus(tx, instance.id, event));
      // Not one of the chat's messages: a campaign's, or one whose send is still being recorded.
      if (!applied) await applyToCampaign(ctx, instance.id, event, opts.finalAttempt);
    };
    // Providers carry no trace: a status joins the trace of the send that queued its message
    // (linked to the webhook's own), so an operator's reply reads as one trace to its last tick.
    const sent = tracingOn() ? await sendTrace(ctx, instance.id, event.providerMessageId) : null;
    if (sent) await withSpanIn(sent, "message status", status, { links: activeLink() });
    else await status();
  } else if (event.kind === "connection") {
    await ctx.db.transaction((tx) =>
      setConnectionStatus(tx, instance.id, { status: event.state, now: ctx.now(), fromWebhook: true }),
    );
  } else if (event.kind === "qr" && event.qrBase64) {
    const qrCode = event.qrBase64;
    await ctx.db.transaction((tx) =>
      setConnectionStatus(tx, instance.id, { status: "connecting", qrCode, now: ctx.now(), fromWebhook: true }),
    );
  }
}

/**
 * A message event: reactions, edits and deletions change the message they refer to;
 * everything else is stored at once, its media pending (fetched by its own job), so a
 * media outage delays only the media. A number change also re-keys the customer.
 */
async function applyMessage(
  ctx: CoreContext,
  instance: InstanceRow,
  event: InboundMessage,
  opts: { finalAttempt: boolean },
): Promise<void> {
  if (event.type === "reaction") {
    await ctx.db.transaction((tx) => applyReaction(tx, instance.id, event, opts));
    return;
  }
  if (event.type === "revoke") {
    await ctx.db.transaction((tx) => applyRevoke(tx, instance.id, event, opts));
    return;
  }
  if (event.type === "edit" && (await ctx.db.transaction((tx) => applyEdit(tx, instance.id, event, opts)))) return;
  // An edit with nothing to change, from nobody known (Evolution names no sender): dropped.
  if (event.type === "edit" && !event.from.waId && !event.from.bsuid && !event.from.jid && !event.from.lid) return;
  let media: MessageMedia | null = null;
  if (event.media && !event.fromMe) {
    // Dedupe before storing anything (ingestInbound dedupes again, in its transaction).
    if (await messageIdByProviderId(ctx.db, instance.id, event.providerMessageId)) return;
    media = await inlineMedia(ctx, event);
  }
  await ctx.db.transaction(async (tx) => {
    const id = await ingestInbound(ctx, tx, instance, event, media);
    const newWaId = event.system?.newWaId;
    if (id && event.system?.type === "user_changed_number" && newWaId && event.from.waId) {
      await changeContactNumber(tx, { provider: instance.provider, oldWaId: event.from.waId, newWaId });
    }
  });
}

async function sendTrace(ctx: CoreContext, instanceId: string, providerMessageId: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ trace: messages.trace })
    .from(messages)
    .where(and(eq(messages.instanceId, instanceId), eq(messages.providerMessageId, providerMessageId)))
    .limit(1);
  return row?.trace ?? null;
}

async function applyToCampaign(
  ctx: CoreContext,
  instanceId: string,
  event: StatusUpdate,
  finalAttempt: boolean,
): Promise<void> {
  const outcome = await applyCampaignStatus(ctx, {
    instanceId,
    providerMessageId: event.providerMessageId,
    status: event.status,
    error: event.error,
  });
  // On the last attempt an unknown status is dropped (a message sent from the phone, say).
  if (outcome !== "not_found" || finalAttempt) return;
  // A late status of one of the chat's messages (e.g. delivered after read): nothing to do.
  if (await messageIdByProviderId(ctx.db, instanceId, event.providerMessageId)) return;
  // The webhook may have outrun the dispatcher recording the provider id: try again shortly.
  const [sending] = await ctx.sql`
    select 1 from campaign_recipients r join campaigns c on c.id = r.campaign_id
    where c.instance_id = ${instanceId} and r.status = 'SENDING' limit 1`;
  if (sending) throw new RetryLater(`status for unknown ${event.providerMessageId} while a campaign send is in flight`);
}
