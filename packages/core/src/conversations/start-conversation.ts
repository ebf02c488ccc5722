import { contacts, conversations, type Db, messages, serviceInstances } from "@elsehu/db";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getContact } from "../contacts/get-contact";
import { buildSearchText } from "../contacts/search-text";
import { requirePhone } from "../contacts/shape";
import { publishEvents } from "../events/publish";
import { queueTextMessage } from "../messages/queue-message";
import { queueTemplateMessage } from "../messages/queue-template-message";
import { getSettings } from "../settings/app-settings";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { conversationEvents } from "./conversation-events";
import { protocolFor } from "./protocol";

export const StartConversationInput = z
  .object({
    instanceId: z.string().uuid(),
    /** A known contact, or a phone number typed in (a new contact when unknown). */
    contactId: z.string().uuid().optional(),
    phone: z.string().trim().min(1).max(40).optional(),
    /** Free text: within the 24-hour window (always on Evolution numbers). */
    body: z.string().trim().min(1).max(4096).optional(),
    /** An approved template: the way to reach a customer outside the window. */
    template: z
      .object({
        templateId: z.string().uuid(),
        variables: z.record(z.string().min(1).max(64), z.string().trim().max(1024)).default({}),
      })
      .optional(),
  })
  .refine((v) => (v.contactId ? 1 : 0) + (v.phone ? 1 : 0) === 1, {
    message: "give contactId or phone",
    path: ["phone"],
  })
  .refine((v) => (v.body ? 1 : 0) + (v.template ? 1 : 0) === 1, { message: "give body or template", path: ["body"] });
export type StartConversationInput = z.input<typeof StartConversationInput>;

/**
 * The operator (or staff) writes first: a conversation with a contact, or with a
 * number typed in, on the number (instance) he picks, OPEN and assigned to him,
 * with its first message: text inside the 24-hour window, a template outside it.
 * All or nothing: a refused message (TEMPLATE_REQUIRED, a bad template) leaves no
 * conversation behind. An admin may turn it off for operators
 * (`operatorsStartConversations: off`). A customer already served by someone else,
 * or waiting in the queue, is a CONFLICT; one already with the actor gets the message there.
 */
export async function startConversation(ctx: CoreContext, actor: Actor, raw: StartConversationInput) {
  const input = StartConversationInput.parse(raw);
  if (actor.role === "OPERATOR" && (await getSettings(ctx)).operatorsStartConversations === "off") {
    throw new DomainError("START_DISABLED_FOR_OPERATORS", "An admin turned off starting conversations for operators");
  }
  // An operator starts from a contact only when he may read it (a customer of his conversations).
  if (input.contactId && actor.role === "OPERATOR") await getContact(ctx, actor, input.contactId);
  return ctx.db.transaction(async (tx) => {
    const [instance] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, input.instanceId));
    if (!instance) throw new DomainError("INSTANCE_UNKNOWN", "instanceId: unknown number", { field: "instanceId" });
    if (!instance.active) throw new DomainError("INSTANCE_DEACTIVATED", "This WhatsApp number is deactivated");
    const contactId = input.contactId ?? (await contactForPhone(ctx, tx, input.phone ?? ""));
    const [contact] = await tx.select().from(contacts).where(eq(contacts.id, contactId));
    if (!contact) throw notFound("Contact");
    if (!contact.phone) throw new DomainError("PHONE_INVALID", "This contact has no phone number", { field: "phone" });
    const conversationId = await openFor(ctx, tx, actor, contact.id, instance.id);
    // The message in a savepoint of this transaction: its refusal undoes the conversation too.
    const inner = { ...ctx, db: tx as unknown as Db };
    const message = input.template
      ? await queueTemplateMessage(inner, actor, { conversationId, ...input.template })
      : await queueTextMessage(inner, actor, { conversationId, body: input.body ?? "" });
    return { conversationId, messageId: message.id };
  });
}

/** The contact of a typed phone number, created when unknown. */
async function contactForPhone(ctx: CoreContext, tx: Tx, raw: string): Promise<string> {
  const phone = requirePhone(raw, ctx.config.defaultRegion);
  const now = ctx.now();
  await tx
    .insert(contacts)
    .values({
      phone: phone.e164,
      phoneKey: phone.key,
      searchText: buildSearchText({ phone: phone.e164 }),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing({ target: contacts.phoneKey });
  const [row] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.phoneKey, phone.key));
  if (!row) throw bug("contact vanished after its upsert");
  return row.id;
}

/** The actor's active conversation with the contact on the number, or a new OPEN one assigned to him. */
async function openFor(ctx: CoreContext, tx: Tx, actor: Actor, contactId: string, instanceId: string) {
  const busy = () =>
    new DomainError("CONTACT_WITH_OTHER_OPERATOR", "This customer is already being served or waiting in the queue");
  const active = and(
    eq(conversations.contactId, contactId),
    eq(conversations.instanceId, instanceId),
    inArray(conversations.status, ["WAITING", "OPEN"]),
  );
  const [existing] = await tx.select().from(conversations).where(active).for("update");
  if (existing) {
    if (existing.status === "OPEN" && existing.operatorId === actor.id) return existing.id;
    throw busy();
  }
  // The 24-hour window is the customer's, not the conversation's: his last message on this number.
  const [lastIn] = await tx
    .select({ at: messages.createdAt })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(eq(conversations.contactId, contactId), eq(messages.instanceId, instanceId), eq(messages.direction, "IN")),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  const now = ctx.now();
  const [row] = await tx
    .insert(conversations)
    .values({
      contactId,
      instanceId,
      status: "OPEN",
      operatorId: actor.id,
      createdAt: now,
      queuedAt: now,
      assignedAt: now,
      firstAssignedAt: now,
      lastInboundAt: lastIn?.at ?? null,
      protocol: protocolFor(now, ctx.config.timezone),
    })
    .onConflictDoNothing({
      target: [conversations.contactId, conversations.instanceId],
      where: sql`status in ('WAITING', 'OPEN')`,
    })
    .returning();
  if (!row) throw busy();
  await publishEvents(tx, conversationEvents("conversation.assigned", row, null, { byUserId: actor.id }));
  return row.id;
}
