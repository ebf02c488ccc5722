import { type QuickReplyAttachment, quickReplies } from "@elsehu/db";
import { sendLimits } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { mediaKindOf } from "../messages/queue-media-message";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { saveStream } from "../storage/files";
import { storageOf } from "../storage/storage";
import { shapeQuickReply } from "./list-quick-replies";
import { lockEditable } from "./quick-reply-access";

export const AttachToQuickReplyInput = z.object({
  id: z.string().uuid(),
  fileName: z.string().trim().min(1).max(200),
  mimeType: z.string().trim().toLowerCase().min(3).max(200),
  size: z.number().int().min(1, "file: empty file"),
});
export type AttachToQuickReplyInput = z.infer<typeof AttachToQuickReplyInput>;

/** The largest file of `kind` every provider takes: a quick reply is used on any number. */
function maxBytesFor(kind: keyof (typeof sendLimits)["META"]["maxMediaBytes"]): number {
  return Math.min(sendLimits.META.maxMediaBytes[kind], sendLimits.EVOLUTION.maxMediaBytes[kind]);
}

/** Removes a file no row points to any more; a failure only leaves an orphan behind. */
async function forget(ctx: CoreContext, old: QuickReplyAttachment | null | undefined) {
  if (!old) return;
  await storageOf(ctx)
    .remove(old.storageKey)
    .catch((err: unknown) => ctx.log.warn({ err, key: old.storageKey }, "quick reply file not removed"));
}

/**
 * Puts a file on a quick reply `actor` may edit (replacing one it had): only a type
 * WhatsApp sends, within the smaller of the providers' limits for its kind,
 * checked before a byte is read.
 */
export async function attachToQuickReply(
  ctx: CoreContext,
  actor: Actor,
  raw: AttachToQuickReplyInput,
  bytes: () => Promise<Uint8Array>,
) {
  const input = AttachToQuickReplyInput.parse(raw);
  const kind = mediaKindOf(input.mimeType);
  if (!kind) {
    throw new DomainError("FILE_TYPE_REFUSED", `file: type ${input.mimeType} cannot be sent on WhatsApp`, {
      field: "file",
      mimeType: input.mimeType,
    });
  }
  const max = maxBytesFor(kind);
  if (input.size > max) {
    const maxMb = Math.floor(max / (1024 * 1024));
    throw new DomainError("FILE_TOO_LARGE", `file: a ${kind} can have at most ${maxMb} MB`, {
      field: "file",
      kind,
      maxMb,
    });
  }
  // Checked before the upload is stored, so a refused edit leaves no file behind.
  await ctx.db.transaction((tx) => lockEditable(tx, actor, input.id));
  const data = await bytes();
  if (data.length !== input.size) {
    throw new DomainError("FILE_SIZE_MISMATCH", "file: size does not match the upload", { field: "file" });
  }
  const attachment: QuickReplyAttachment = {
    storageKey: await saveStream(ctx, data),
    mimeType: input.mimeType.split(";")[0]?.trim() ?? input.mimeType,
    fileName: input.fileName,
    size: data.length,
  };
  const { row, old } = await ctx.db.transaction(async (tx) => {
    const before = await lockEditable(tx, actor, input.id);
    const [after] = await tx
      .update(quickReplies)
      .set({ attachment, updatedAt: ctx.now() })
      .where(eq(quickReplies.id, input.id))
      .returning();
    if (!after) throw bug("quick reply vanished under its lock");
    return { row: after, old: before.attachment };
  });
  await forget(ctx, old);
  return shapeQuickReply(actor, row);
}

/** Takes the file off a quick reply `actor` may edit. */
export async function detachFromQuickReply(ctx: CoreContext, actor: Actor, id: string) {
  const { row, old } = await ctx.db.transaction(async (tx) => {
    const before = await lockEditable(tx, actor, id);
    const [after] = await tx
      .update(quickReplies)
      .set({ attachment: null, updatedAt: ctx.now() })
      .where(eq(quickReplies.id, id))
      .returning();
    if (!after) throw bug("quick reply vanished under its lock");
    return { row: after, old: before.attachment };
  });
  await forget(ctx, old);
  return shapeQuickReply(actor, row);
}

export { forget as forgetQuickReplyFile };
