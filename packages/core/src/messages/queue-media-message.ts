import { serviceInstances } from "@elsehu/db";
import type { MediaKind } from "@elsehu/providers";
import { sendLimits } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { saveStream } from "../storage/files";
import {
  checkOneTarget,
  ONE_TARGET,
  queueOutbound,
  SendTargetFields,
  targetOf,
  type WithinSend,
} from "./queue-message";
import { sendableConversation } from "./sendable-conversation";
import { prepareVoiceNote, VOICE_UPLOAD_TYPES } from "./voice/voice-note";

/** MIME types WhatsApp accepts per kind (Cloud API "supported media types"). */
const ACCEPTED: Record<MediaKind, string[]> = {
  image: ["image/jpeg", "image/png"],
  /** A WebP goes out as a sticker (WhatsApp takes WebP only as stickers). */
  sticker: ["image/webp"],
  audio: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"],
  video: ["video/mp4", "video/3gpp"],
  document: [
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
  ],
};

export const SendMediaInput = z.object({
  conversationId: z.string().uuid(),
  caption: z.string().trim().max(4096).optional(),
  fileName: z.string().trim().min(1).max(200),
  mimeType: z.string().trim().toLowerCase().min(3).max(200),
  size: z.number().int().min(1, "file: empty file"),
  replyToId: z.string().uuid().optional(),
  /** Send an audio as a voice note (recorded-audio bubble): it must be OGG/Opus. */
  voice: z.boolean().optional(),
});
export type SendMediaInput = z.infer<typeof SendMediaInput>;
/** `messages.sendMedia` addressed to a conversation or to a phone (the public API's form). */
export const SendMediaToInput = SendMediaInput.extend(SendTargetFields).refine(checkOneTarget, ONE_TARGET);
export type SendMediaToInput = z.input<typeof SendMediaToInput>;

/** The media kind a MIME type goes out as, or null when WhatsApp does not take it. */
export function mediaKindOf(mimeType: string): MediaKind | null {
  const base = mimeType.split(";")[0]?.trim() ?? "";
  for (const kind of ["image", "sticker", "audio", "video", "document"] as const) {
    if (ACCEPTED[kind].includes(base)) return kind;
  }
  return null;
}

/**
 * A recording's declared type: Ogg or WebM audio with no codec named or Opus named.
 * The bytes are checked (and WebM rewrapped as Ogg) by `prepareVoiceNote`.
 */
function isOpusRecording(mimeType: string): boolean {
  const [base, ...params] = mimeType
    .toLowerCase()
    .split(";")
    .map((p) => p.trim());
  const codecs = params.find((p) => p.startsWith("codecs="));
  return VOICE_UPLOAD_TYPES.includes(base ?? "") && (!codecs || /opus/.test(codecs));
}

/**
 * Sends a file: type and size are checked against the instance provider's limits
 * before a byte is stored; then the file is saved and the message queued.
 * `bytes` is read only after the checks pass.
 */
export async function queueMediaMessage(
  ctx: CoreContext,
  actor: Actor,
  raw: SendMediaToInput,
  bytes: () => Promise<Uint8Array>,
  opts: { within?: WithinSend } = {},
) {
  const input = SendMediaToInput.parse(raw);
  // A conversation is checked before a byte is stored; a phone's (maybe new) one is checked in the send's transaction.
  const instance = input.conversationId
    ? (await sendableConversation(ctx.db, actor, input.conversationId, ctx.now())).instance
    : await instanceOf(ctx, input.to?.instanceId ?? "");
  // A voice note is audio whatever its container: WebM is rewrapped as Ogg below.
  const kind = input.voice && isOpusRecording(input.mimeType) ? "audio" : mediaKindOf(input.mimeType);
  if (!kind) {
    throw new DomainError("FILE_TYPE_REFUSED", `file: type ${input.mimeType} cannot be sent on WhatsApp`, {
      field: "file",
      mimeType: input.mimeType,
    });
  }
  if (input.voice && !isOpusRecording(input.mimeType)) {
    throw new DomainError("VOICE_NOT_OGG_OPUS", "file: a voice note must be OGG audio with the Opus codec", {
      field: "file",
      reason: "VOICE_NOT_OGG_OPUS",
    });
  }
  if (kind === "sticker" && input.caption) {
    throw new DomainError("STICKER_NO_CAPTION", "caption: a sticker takes no caption", { field: "caption" });
  }
  const max = sendLimits[instance.provider].maxMediaBytes[kind];
  if (input.size > max) {
    const mb = Math.floor(max / (1024 * 1024));
    throw new DomainError("FILE_TOO_LARGE", `file: a ${kind} can have at most ${mb} MB`, {
      field: "file",
      kind,
      maxMb: mb,
    });
  }
  const uploaded = await bytes();
  if (uploaded.length !== input.size || uploaded.length > max) {
    throw new DomainError("FILE_SIZE_MISMATCH", "file: size does not match the upload", { field: "file" });
  }
  const voice = input.voice ? prepareVoiceNote(uploaded, input.mimeType) : null;
  const data = voice?.bytes ?? uploaded;
  const mimeType = voice?.mimeType ?? input.mimeType.split(";")[0]?.trim() ?? input.mimeType;
  const fileName = voice ? input.fileName.replace(/(\.[^./]*)?$/, ".ogg") : input.fileName;
  const storageKey = await saveStream(ctx, data);
  return queueOutbound(
    ctx,
    actor,
    targetOf(input),
    {
      type: kind,
      body: input.caption ?? null,
      media: {
        storageKey,
        mimeType,
        fileName,
        size: data.length,
        caption: input.caption,
        ...(voice && { voice: true, durationMs: voice.durationMs }),
      },
      replyToId: input.replyToId,
      content: input.voice ? { voice: true } : undefined,
    },
    opts,
  );
}

async function instanceOf(ctx: CoreContext, id: string) {
  const [instance] = await ctx.db.select().from(serviceInstances).where(eq(serviceInstances.id, id));
  if (!instance) throw new DomainError("INSTANCE_UNKNOWN", "to.instanceId: no such WhatsApp number", { field: "to" });
  return instance;
}
