import { contacts, conversations, departments } from "@elsehu/db";
import { and, eq, isNull } from "drizzle-orm";
import { conversationEvents } from "../conversations/conversation-events";
import { isOpenAt } from "../departments/hours";
import { publishEvents } from "../events/publish";
import { queueAutomatic } from "../messages/queue-automatic";
import type { CoreContext, Tx } from "../shared/context";
import { renderAutoText } from "./render-text";

type Arriving = {
  id: string;
  protocol: string;
  instanceId: string;
  contactId: string;
  operatorId: string | null;
  departmentId: string | null;
};

/**
 * A waiting conversation has just entered its department (routed straight there,
 * or chosen in the menu). Outside the department's hours the customer gets its
 * out-of-hours message, once per conversation, and waits in its queue for the
 * opening (assignment skips a closed department); or, when the department says
 * so, the conversation is closed at once with its chosen tabulation.
 */
export async function arriveInDepartment(
  ctx: Pick<CoreContext, "now" | "config">,
  tx: Tx,
  conv: Arriving,
  provider: "META" | "EVOLUTION",
): Promise<"open" | "waiting" | "closed"> {
  if (!conv.departmentId) return "open";
  const now = ctx.now();
  const [dep] = await tx.select().from(departments).where(eq(departments.id, conv.departmentId));
  if (!dep || isOpenAt(dep.hours, now, ctx.config.timezone)) return "open";
  const [marked] = await tx
    .update(conversations)
    .set({ outOfHoursNotifiedAt: now })
    .where(and(eq(conversations.id, conv.id), isNull(conversations.outOfHoursNotifiedAt)))
    .returning({ id: conversations.id });
  if (marked && dep.outOfHoursMessage) {
    const [contact] = await tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, conv.contactId));
    const text = renderAutoText(dep.outOfHoursMessage, { nome: contact?.name, protocolo: conv.protocol });
    if (text) await queueAutomatic(tx, conv, provider, { kind: "out_of_hours", text }, now);
  }
  if (!dep.outOfHoursTabulationId) return "waiting";
  const [closed] = await tx
    .update(conversations)
    .set({ status: "CLOSED", tabulationId: dep.outOfHoursTabulationId, closedAt: now, closedById: null })
    .where(and(eq(conversations.id, conv.id), eq(conversations.status, "WAITING")))
    .returning();
  if (!closed) return "waiting";
  await publishEvents(
    tx,
    conversationEvents("conversation.closed", closed, null, {
      tabulationId: dep.outOfHoursTabulationId,
      outOfHours: true,
    }),
  );
  return "closed";
}
