import { quickReplies } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";
import { bug } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { shapeQuickReply } from "./list-quick-replies";
import { lockEditable, shortcutTaken } from "./quick-reply-access";
import { UpdateQuickReplyInput } from "./quick-reply-input";

/** Changes the shortcut or text of a quick reply `actor` may edit. */
export async function updateQuickReply(ctx: CoreContext, actor: Actor, raw: UpdateQuickReplyInput) {
  const input = UpdateQuickReplyInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      await lockEditable(tx, actor, input.id);
      const [row] = await tx
        .update(quickReplies)
        .set({
          ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
          ...(input.body !== undefined ? { body: input.body } : {}),
          updatedAt: ctx.now(),
        })
        .where(eq(quickReplies.id, input.id))
        .returning();
      if (!row) throw bug("updated quick reply vanished");
      return shapeQuickReply(actor, row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw shortcutTaken();
    throw err;
  }
}
