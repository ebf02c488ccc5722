import { quickReplies } from "@elsehu/db";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";
import { containsPattern } from "../shared/like";
import { ListQuickRepliesInput } from "./quick-reply-input";

/** A quick reply as the console gets it; `canEdit`: the viewer may change it. */
export function shapeQuickReply(viewer: Actor, r: typeof quickReplies.$inferSelect) {
  const shared = r.ownerId === null;
  return {
    id: r.id,
    shortcut: r.shortcut,
    body: r.body,
    shared,
    canEdit: shared ? viewer.role !== "OPERATOR" : r.ownerId === viewer.id,
    /** Its file, without where it is stored. */
    attachment: r.attachment
      ? { fileName: r.attachment.fileName, mimeType: r.attachment.mimeType, size: r.attachment.size }
      : null,
    updatedAt: r.updatedAt,
  };
}

/**
 * The quick replies `viewer` may use: his own and the shared ones, by shortcut
 * (his own first when both have it); `search` matches shortcut or text.
 */
export async function listQuickReplies(ctx: Pick<CoreContext, "db">, viewer: Actor, raw: ListQuickRepliesInput) {
  const input = ListQuickRepliesInput.parse(raw);
  const q = input.search ? containsPattern(input.search.toLowerCase()) : null;
  const rows = await ctx.db
    .select()
    .from(quickReplies)
    .where(
      and(
        or(eq(quickReplies.ownerId, viewer.id), isNull(quickReplies.ownerId)),
        q ? sql`(${quickReplies.shortcut} like ${q} or lower(${quickReplies.body}) like ${q})` : undefined,
      ),
    )
    .orderBy(asc(quickReplies.shortcut), sql`${quickReplies.ownerId} is null`)
    .limit(1000);
  return rows.map((r) => shapeQuickReply(viewer, r));
}
