import { conversations, messages } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { assertInScope, departmentScope } from "../departments/department-scope";
import type { Actor, CoreContext } from "../shared/context";
import { forbidden, notFound } from "../shared/errors";
import { openFile } from "../storage/files";

/**
 * The stored file of a message, for download. Same isolation as conversations:
 * an operator only for conversations assigned to him; staff for any.
 */
export async function openMessageMedia(ctx: CoreContext, actor: Actor, messageId: string) {
  const [row] = await ctx.db
    .select({ media: messages.media, operatorId: conversations.operatorId, departmentId: conversations.departmentId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, messageId));
  if (!row) throw notFound("Message");
  if (actor.role === "OPERATOR" && row.operatorId !== actor.id) throw forbidden("This conversation is not yours");
  if (actor.role === "SUPERVISOR") assertInScope(await departmentScope(ctx, actor), row.departmentId);
  if (!row.media?.storageKey) throw notFound("File");
  return openFile(ctx, row.media.storageKey, {
    mimeType: row.media.mimeType ?? "application/octet-stream",
    fileName: row.media.fileName,
  });
}
