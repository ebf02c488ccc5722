import type { MessageMedia } from "@elsehu/db";
import {
  type InboundMessage,
  type ProviderAdapter,
  parseEvolutionWebhook,
  parseMetaWebhook,
  type WebhookEvent,
} from "@elsehu/providers";
import { setConnectionStatus } from "../instances/evolution-connection";
import { loadInstance } from "../instances/list-instances";
import { providerFor } from "../instances/provider-for";
import type { InstanceRow } from "../instances/shape";
import { applyStatus } from "../messages/apply-status";
import { ingestInbound, messageIdByProviderId } from "../messages/ingest-inbound";
import type { CoreContext } from "../shared/context";
import { saveStream } from "../storage/files";

/** Instances change rarely; a per-context cache saves a query per webhook on the hot path. */
const instanceCaches = new WeakMap<CoreContext, Map<string, { row: InstanceRow; at: number }>>();
async function cachedInstance(ctx: CoreContext, id: string): Promise<InstanceRow> {
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

function eventsOf(instance: InstanceRow, body: unknown): WebhookEvent[] {
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
 * The worker side of a webhook: parses the stored raw body and applies every event.
 * Safe to run any number of times (messages dedupe on provider id, statuses only move
 * forward), which is what makes redelivery and job retries harmless.
 */
async function applyWebhook(
  ctx: CoreContext,
  stored: { instanceId: string; body: string },
  opts: { finalAttempt: boolean },
): Promise<void> {
  const instance = await cachedInstance(ctx, stored.instanceId);
  const events = eventsOf(instance, JSON.parse(stored.body));
  let adapter: ProviderAdapter | undefined;
  for (const event of events) {
    if (event.kind === "message") {
      let media: MessageMedia | null = null;
      if (event.media && !event.fromMe) {
        // Dedupe before downloading anything (ingestInbound dedupes again, in its transaction).
        if (await messageIdByProviderId(ctx.db, instance.id, event.providerMessageId)) continue;
        adapter ??= providerFor(ctx, instance);
        media = await downloadMedia(ctx, adapter, event, opts.finalAttempt);
      }
      await ctx.db.transaction((tx) => ingestInbound(ctx, tx, instance, event, media));
    } else if (event.kind === "status") {
      await ctx.db.transaction((tx) => applyStatus(tx, instance.id, event));
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
}

export type WebhookFailure = { webhookEventId: number; error: unknown };

/**
 * Applies stored webhooks in arrival order: one query loads the bodies not applied
 * yet (a retried batch skips what an earlier attempt did), one marks the applied
 * ones. A failing webhook does not stop the others; the failures are returned, with
 * their message recorded on the row, for the caller to retry.
 */
export async function processWebhookEvents(
  ctx: CoreContext,
  ids: number[],
  opts: { finalAttempt: boolean } = { finalAttempt: true },
): Promise<WebhookFailure[]> {
  const rows = await ctx.sql<{ id: string; instance_id: string | null; body: string }[]>`
    select id, instance_id, body from webhook_events
    where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint) and processed_at is null
    order by id`;
  const done: number[] = [];
  const failures: WebhookFailure[] = [];
  for (const row of rows) {
    const id = Number(row.id);
    try {
      if (row.instance_id) await applyWebhook(ctx, { instanceId: row.instance_id, body: row.body }, opts);
      done.push(id);
    } catch (error) {
      failures.push({ webhookEventId: id, error });
    }
  }
  const errors = failures.map((f) => ({
    id: f.webhookEventId,
    error: f.error instanceof Error ? f.error.message : String(f.error),
  }));
  await ctx.sql`
    update webhook_events w set processed_at = now(), error = null
    where w.id in (select jsonb_array_elements_text(${JSON.stringify(done)}::jsonb)::bigint)`;
  if (errors.length > 0) {
    await ctx.sql`
      update webhook_events w set error = f.error
      from jsonb_to_recordset(${JSON.stringify(errors)}::jsonb) as f(id bigint, error text) where w.id = f.id`;
  }
  return failures;
}
