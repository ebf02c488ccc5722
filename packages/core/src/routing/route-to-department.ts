import { conversations, departments } from "@elsehu/db";
import { and, eq, isNull } from "drizzle-orm";
import { conversationEvents } from "../conversations/conversation-events";
import { requestAssignment } from "../conversations/request-assignment";
import { publishEvents } from "../events/publish";
import type { CoreContext, Tx } from "../shared/context";
import { arriveInDepartment } from "./arrive-in-department";

export type MenuOutcome = "answer" | "fallback" | "timeout";

/**
 * Ends a conversation's menu: it enters `departmentId` (an archived one sends it to
 * the global queue instead), then hours apply (arriveInDepartment) and the queue is
 * drained. Only a conversation still in the menu moves: returns false otherwise.
 */
export async function routeToDepartment(
  ctx: Pick<CoreContext, "now" | "config">,
  tx: Tx,
  conversationId: string,
  departmentId: string | null,
  outcome: MenuOutcome,
  provider: "META" | "EVOLUTION",
): Promise<boolean> {
  const active = departmentId
    ? (
        await tx
          .select({ id: departments.id })
          .from(departments)
          .where(and(eq(departments.id, departmentId), isNull(departments.archivedAt)))
      )[0]?.id
    : undefined;
  const [after] = await tx
    .update(conversations)
    .set({ departmentId: active ?? null, routingState: null })
    .where(and(eq(conversations.id, conversationId), eq(conversations.routingState, "MENU")))
    .returning();
  if (!after) return false;
  await publishEvents(tx, conversationEvents("conversation.routed", after, null, { outcome }));
  const place = await arriveInDepartment(ctx, tx, after, provider);
  if (place !== "closed") await requestAssignment(tx, "queued", { conversationId });
  return true;
}
