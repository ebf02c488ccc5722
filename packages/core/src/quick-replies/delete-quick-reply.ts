import { quickReplies } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";
import { lockEditable } from "./quick-reply-access";

/** Deletes a quick reply `actor` may edit. */
export async function deleteQuickReply(ctx: CoreContext, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    await lockEditable(tx, actor, id);
    await tx.delete(quickReplies).where(eq(quickReplies.id, id));
    return { ok: true };
  });
}
