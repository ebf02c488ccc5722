import type { MessageMedia } from "@elsehu/db";
import {
  type InboundMessage,
  type ProviderAdapter,
  parseEvolutionWebhook,
  parseMetaWebhook,
  type StatusUpdate,
  type WebhookEvent,
} from "@elsehu/providers";
import { applyCampaignStatus } from "../campaigns/apply-campaign-status";
import { setConnectionStatus } from "../instances/evolution-connection";
import { loadInstance } from "../instances/list-instances";
import { providerFor } from "../instances/provider-for";
import type { InstanceRow } from "../instances/shape";
import { applyStatus } from "../messages/apply-status";
import { ingestInbound, messageIdByProviderId } from "../messages/ingest-inbound";
import { RetryLater } from "../messages/message-events";
import type { CoreContext } from "../shared/context";
import { saveStream } from "../storage/files";

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
 * Downloads inbound media into storage. A failure is retried with the job; on the
 * last attempt the message is kept without its file (marked) rather than lost.
 */
async function downloadMedia(
  ctx: CoreContext,
  adapter: ProviderAdapter,
  event: InboundMessage,
  finalAttempt: boolean,
): Promise<MessageMedia | null> {
  const media = event.media;
  if (!media) return null;
  const result: MessageMedia = { providerMediaId: media.providerMediaId };
  if (media.mimeType) result.mimeType = media.mimeType;
  if (media.fileName) result.fileName = media.fileName;
  if (media.caption) result.caption = media.caption;
  try {
    const fetched = media.base64
      ? {
          bytes: new Uint8Array(Buffer.from(media.base64, "base64")),
          mimeType: media.mimeType ?? "application/octet-stream",
        }
      : await adapter.fetchMedia(media.providerMediaId ?? event.providerMessageId);
    const mimeType = media.mimeType ?? fetched.mimeType;
    const fileName = media.fileName ?? ("fileName" in fetched ? fetched.fileName : undefined);
    result.storageKey = await saveStream(ctx, fetched.bytes);
    result.size = fetched.bytes.length;
    result.mimeType = mimeType;
    if (fileName) result.fileName = fileName;
  } catch (err) {
    if (!finalAttempt) throw err;
    ctx.log.warn({ err, providerMessageId: event.providerMessageId }, "media download failed for good");
  }
  return result;
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
    let media: MessageMedia | null = null;
    if (event.media && !event.fromMe) {
      // Dedupe before downloading anything (ingestInbound dedupes again, in its transaction).
      if (await messageIdByProviderId(ctx.db, instance.id, event.providerMessageId)) return;
      media = await downloadMedia(ctx, providerFor(ctx, instance), event, opts.finalAttempt);
    }
    await ctx.db.transaction((tx) => ingestInbound(ctx, tx, instance, event, media));
  } else if (event.kind === "status") {
    const applied = await ctx.db.transaction((tx) => applyStatus(tx, instance.id, event));
    // Not one of the chat's messages: a campaign's, or one whose send is still being recorded.
    if (!applied) await applyToCampaign(ctx, instance.id, event, opts.finalAttempt);
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
