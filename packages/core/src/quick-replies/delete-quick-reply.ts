import { quickReplies } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";
import { lockEditable } from "./quick-reply-access";
import { forgetQuickReplyFile } from "./quick-reply-attachment";

/** Deletes a quick reply `actor` may edit, and then its file (messages sent with it have their own copies). */
export async function deleteQuickReply(ctx: CoreContext, actor: Actor, id: string) {
  const row = await ctx.db.transaction(async (tx) => {
    const locked = await lockEditable(tx, actor, id);
    await tx.delete(quickReplies).where(eq(quickReplies.id, id));
    return locked;
  });
  await forgetQuickReplyFile(ctx, row.attachment);
  return { ok: true };
}
