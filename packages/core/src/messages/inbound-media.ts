import type { MessageMedia } from "@elsehu/db";
import { type InboundMessage, mediaLimitOf } from "@elsehu/providers";
import { addJob } from "../jobs/add-job";
import type { CoreContext, Tx } from "../shared/context";
import { saveStream } from "../storage/files";

/** The job that downloads one inbound message's media (fetch-inbound-media.ts). */

/** Meta keeps media ids 30 days; after that a download cannot succeed. */
export const META_MEDIA_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/** What the message row says about media not downloaded yet: enough to fetch and to show it. */
export function pendingMediaOf(event: InboundMessage): MessageMedia | null {
  const media = event.media;
  if (!media) return null;
  const result: MessageMedia = { state: "pending", providerMediaId: media.providerMediaId ?? event.providerMessageId };
  if (media.mimeType) result.mimeType = media.mimeType;
  if (media.fileName) result.fileName = media.fileName;
  if (media.caption) result.caption = media.caption;
  if (media.voice !== undefined) result.voice = media.voice;
  return result;
}

/**
 * Media that came inside the webhook (Evolution with `base64: true`) needs no provider
 * call: it is stored before the message, within the kind's size cap. Anything else stays
 * pending for the fetch job.
 */
export async function inlineMedia(
  ctx: Pick<CoreContext, "config" | "log">,
  event: InboundMessage,
): Promise<MessageMedia | null> {
  const pending = pendingMediaOf(event);
  const base64 = event.media?.base64;
  if (!pending || !base64) return pending;
  const limit = mediaLimitOf(event.type);
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > limit) return { ...pending, state: "failed", error: `file is larger than ${limit} bytes` };
  const key = await saveStream(ctx, new Uint8Array(bytes));
  return { ...pending, state: "ready", storageKey: key, size: bytes.length };
}

/** Queues the download of a message's media, in the transaction that stored (or re-armed) it. */
export async function queueMediaFetch(tx: Tx, messageId: string, attempt = 1, runAt?: Date): Promise<void> {
  await addJob(
    tx,
    "messages/fetch_media",
    { messageId, attempt },
    runAt ? { runAt, maxAttempts: 3 } : { maxAttempts: 3 },
  );
}
