import { conversations } from "@elsehu/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { publishEvent } from "../events/publish";
import { addJob } from "../jobs/add-job";
import type { Tx } from "../shared/context";
import { bug } from "../shared/errors";
import { conversationAudience } from "./audience";
import { protocolFor } from "./protocol";

export type ConversationRow = typeof conversations.$inferSelect;

/** Job that drains the queue; see conversations/assign. */

/**
 * The active (WAITING or OPEN) conversation of a contact on an instance, or a
 * new WAITING one. The partial unique index makes concurrent callers converge
 * on one row; the creator publishes `conversation.created` and requests assignment.
 */
export async function findOrOpenConversation(
  tx: Tx,
  input: {
    contactId: string;
    instanceId: string;
    now: Date;
    campaignId?: string | null;
    departmentId?: string | null;
    /** Where a new conversation starts (the number's routing), asked only when one is opened. */
    place?: () => Promise<{ departmentId: string | null; routingState: "MENU" | null }>;
    /** TIMEZONE: the day of the protocol number (without it, the column default's America/Sao_Paulo). */
    timezone?: string;
  },
): Promise<{ conversation: ConversationRow; created: boolean }> {
  const active = () =>
    tx
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.contactId, input.contactId),
          eq(conversations.instanceId, input.instanceId),
          inArray(conversations.status, ["WAITING", "OPEN"]),
        ),
      );
  const [existing] = await active();
  if (existing) return { conversation: existing, created: false };
  const place = input.place ? await input.place() : { departmentId: input.departmentId ?? null, routingState: null };
  const [inserted] = await tx
    .insert(conversations)
    .values({
      contactId: input.contactId,
      instanceId: input.instanceId,
      status: "WAITING",
      campaignId: input.campaignId ?? null,
      departmentId: place.departmentId,
      routingState: place.routingState,
      routingAskedAt: place.routingState ? input.now : null,
      createdAt: input.now,
      queuedAt: input.now,
      ...(input.timezone ? { protocol: protocolFor(input.now, input.timezone) } : {}),
    })
    .onConflictDoNothing({
      target: [conversations.contactId, conversations.instanceId],
      where: sql`status in ('WAITING', 'OPEN')`,
    })
    .returning();
  if (!inserted) {
    const [winner] = await active();
    if (!winner) throw bug("conversation vanished after a conflicting insert");
    return { conversation: winner, created: false };
  }
  await publishEvent(tx, {
    kind: "conversation.created",
    audience: conversationAudience(null),
    payload: {
      conversationId: inserted.id,
      status: inserted.status,
      departmentId: inserted.departmentId,
      routingState: inserted.routingState,
    },
  });
  await addJob(tx, "conversations/assign_waiting", { reason: "created", conversationId: inserted.id });
  return { conversation: inserted, created: true };
}
