import { messages } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { assertMessageReadable } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { openFile } from "../storage/files";

/**
 * The stored file of a message, for download. The same rule as every read of
 * its conversation (`conversations/access.ts`), customer history included.
 */
export async function openMessageMedia(ctx: CoreContext, actor: Actor, messageId: string) {
  await assertMessageReadable(ctx.db, actor, messageId);
  const [row] = await ctx.db
    .select({ media: messages.media, deletedAt: messages.deletedAt })
    .from(messages)
    .where(eq(messages.id, messageId));
  if (!row) throw notFound("Message");
  // The customer deleted it: its file stays on record for staff only.
  if (!row.media?.storageKey || (row.deletedAt && actor.role === "OPERATOR")) throw notFound("File");
  return openFile(ctx, row.media.storageKey, {
    mimeType: row.media.mimeType ?? "application/octet-stream",
    fileName: row.media.fileName,
  });
}
