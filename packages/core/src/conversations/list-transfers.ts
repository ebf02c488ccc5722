import { conversationTransfers } from "@elsehu/db";
import { asc, eq } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";
import { getConversation } from "./read-conversations";

/** A conversation's hand-overs (operators, departments, notes), oldest first, for whoever may read it. */
export async function listTransfers(ctx: Pick<CoreContext, "db">, viewer: Actor, conversationId: string) {
  await getConversation(ctx, viewer, conversationId);
  return ctx.db
    .select()
    .from(conversationTransfers)
    .where(eq(conversationTransfers.conversationId, conversationId))
    .orderBy(asc(conversationTransfers.id))
    .limit(200);
}
