import { quickReplies } from "@elsehu/db";
import { count, eq, isNull } from "drizzle-orm";
import { isStaff } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { shapeQuickReply } from "./list-quick-replies";
import { notYours, shortcutTaken } from "./quick-reply-access";
import { CreateQuickReplyInput, MAX_PERSONAL_QUICK_REPLIES, MAX_SHARED_QUICK_REPLIES } from "./quick-reply-input";

/** A new quick reply: personal (anyone), or shared (staff). Bounded in number per scope. */
export async function createQuickReply(ctx: CoreContext, actor: Actor, raw: CreateQuickReplyInput) {
  const input = CreateQuickReplyInput.parse(raw);
  if (input.shared && !isStaff(actor)) throw notYours();
  const ownerId = input.shared ? null : actor.id;
  try {
    return await ctx.db.transaction(async (tx) => {
      const scope = ownerId ? eq(quickReplies.ownerId, ownerId) : isNull(quickReplies.ownerId);
      const [n] = await tx.select({ n: count() }).from(quickReplies).where(scope);
      const max = ownerId ? MAX_PERSONAL_QUICK_REPLIES : MAX_SHARED_QUICK_REPLIES;
      if ((n?.n ?? 0) >= max)
        throw new DomainError("TOO_MANY_QUICK_REPLIES", `at most ${max} quick replies here`, { max });
      const now = ctx.now();
      const [row] = await tx
        .insert(quickReplies)
        .values({
          ownerId,
          shortcut: input.shortcut,
          body: input.body,
          createdById: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!row) throw bug("quick reply insert returned nothing");
      return shapeQuickReply(actor, row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw shortcutTaken();
    throw err;
  }
}
