import { conversations, type InstanceRouting, type MessageMedia, messages } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { and, eq, isNull } from "drizzle-orm";
import { csatAnswerTarget } from "../automatic/answer-csat";
import { handleOptOutKeyword } from "../campaigns/handle-opt-out";
import { markCampaignReply } from "../campaigns/mark-campaign-reply";
import { findOrOpenConversation } from "../conversations/find-or-open";
import type { InstanceRow } from "../instances/shape";
import { answerMenu } from "../routing/answer-menu";
import { initialPlace, routingOf } from "../routing/initial-routing";
import { startRouting } from "../routing/start-routing";
import type { CoreContext, Tx } from "../shared/context";
import { hasSendInFlight } from "./in-flight";
import { queueMediaFetch } from "./inbound-media";
import { publishMessageCreated, RetryLater } from "./message-events";
import { touchConversation } from "./touch-conversation";
import { upsertSender } from "./upsert-sender";

export async function messageIdByProviderId(tx: Tx, instanceId: string, providerMessageId: string) {
  const [row] = await tx
    .select({ id: messages.id, status: messages.status })
    .from(messages)
    .where(and(eq(messages.instanceId, instanceId), eq(messages.providerMessageId, providerMessageId)));
  return row;
}

/**
 * The structured part of an inbound message, or null: location, button/list reply, shared
 * contact cards, order, flow answers, call permission, system notice, unsupported kind,
 * an edit without a target (shown as a notice), the ad it came from, the quoted id.
 */
export function contentOf(event: InboundMessage): Record<string, unknown> | null {
  const content: Record<string, unknown> = {};
  if (event.location) content.location = event.location;
  if (event.reaction) content.reaction = event.reaction;
  if (event.reply) content.reply = event.reply;
  if (event.contacts) content.contacts = event.contacts;
  if (event.order) content.order = event.order;
  if (event.flow) content.flow = event.flow;
  if (event.callPermission) content.callPermission = event.callPermission;
  if (event.system) content.system = event.system;
  if (event.unsupported) content.unsupported = event.unsupported;
  if (event.edit) content.edit = event.edit;
  if (event.referral) content.referral = event.referral;
  if (event.replyToProviderMessageId) content.replyToProviderMessageId = event.replyToProviderMessageId;
  return Object.keys(content).length > 0 ? content : null;
}

/**
 * Records one message from a webhook: contact, active conversation (opened WAITING
 * when there is none), the message (deduped on instance + provider id), conversation
 * stamps and `message.created`. `fromMe` messages are our own sends echoed back
 * (Evolution `send.message`) or typed on the phone: an echo of a send we know is
 * not inserted again. A customer's opt-out keyword opts the contact out of campaigns
 * (handleOptOutKeyword). Media not downloaded yet (`state: "pending"`) gets its fetch job in
 * the same transaction: the message shows at once, its file follows. Returns the new message id, or null when it already existed.
 */
export async function ingestInbound(
  ctx: Pick<CoreContext, "now" | "config">,
  tx: Tx,
  instance: InstanceRow,
  event: InboundMessage,
  media: MessageMedia | null,
): Promise<string | null> {
  if (await messageIdByProviderId(tx, instance.id, event.providerMessageId)) return null;
  if (event.fromMe && (await hasSendInFlight(tx, instance.id))) {
    throw new RetryLater(`echo ${event.providerMessageId} may be a send in flight`);
  }
  const contactId = await upsertSender(tx, instance.provider, event.from);
  const direction = event.fromMe ? "OUT" : "IN";
  // An answer to the satisfaction question joins the closed conversation it rates.
  const rated =
    direction === "IN" && (event.body || event.reply)
      ? await csatAnswerTarget(tx, { contactId, instanceId: instance.id, now: ctx.now(), event })
      : null;
  // The number's routing, once read for a first message (its menu is sent below).
  let routing: InstanceRouting | null = null;
  const { conversation, created } = rated
    ? { conversation: rated.conversation, created: false }
    : await findOrOpenConversation(tx, {
        contactId,
        instanceId: instance.id,
        now: ctx.now(),
        timezone: ctx.config.timezone,
        // A customer's first message follows the number's routing; one typed on the phone opens the global queue.
        place: async () => {
          routing = direction === "IN" ? await routingOf(tx, instance.id) : null;
          return initialPlace(routing);
        },
      });
  const replyTo = event.replyToProviderMessageId
    ? await messageIdByProviderId(tx, instance.id, event.replyToProviderMessageId)
    : undefined;
  const [row] = await tx
    .insert(messages)
    .values({
      conversationId: conversation.id,
      instanceId: instance.id,
      direction,
      type: event.type,
      body: event.body ?? null,
      media,
      content: contentOf(event),
      providerMessageId: event.providerMessageId,
      replyToId: replyTo?.id ?? null,
      // Inbound messages have arrived; phone-typed ones were sent by the phone.
      status: direction === "IN" ? "DELIVERED" : "SENT",
      createdAt: event.timestamp,
      sentAt: direction === "OUT" ? event.timestamp : null,
    })
    .onConflictDoNothing({ target: [messages.instanceId, messages.providerMessageId] })
    .returning({ id: messages.id });
  if (!row && created) {
    // Stored meanwhile (an echo whose send was recorded after the first look): the conversation just
    // opened for it must not stay, empty; the retry finds the message and does nothing.
    throw new RetryLater(`message ${event.providerMessageId} was stored meanwhile`);
  }
  if (!row) return null;
  if (media?.state === "pending") await queueMediaFetch(tx, row.id);
  if (event.referral && direction === "IN") {
    await tx
      .update(conversations)
      .set({ referral: event.referral })
      .where(and(eq(conversations.id, conversation.id), isNull(conversations.referral)));
  }
  await touchConversation(tx, conversation.id, { direction, at: event.timestamp, human: false });
  // A customer who answers a campaign within its attribution window counts as replied, and the
  // conversation his answer opens (or first lands in) is the campaign's.
  if (direction === "IN") {
    await markCampaignReply(tx, {
      contactId,
      instanceId: instance.id,
      conversationId: conversation.id,
      opened: created,
      now: ctx.now(),
    });
  }
  if (direction === "IN" && event.type === "text" && event.body) {
    // "SAIR" (or another opt-out keyword) opts the contact out of campaigns and is acknowledged.
    await handleOptOutKeyword(tx, {
      contactId,
      instanceId: instance.id,
      text: event.body,
      keywords: ctx.config.optOutKeywords,
      now: ctx.now(),
    });
  }
  await publishMessageCreated(tx, {
    messageId: row.id,
    conversationId: conversation.id,
    operatorId: conversation.operatorId,
    direction,
  });
  if (direction === "IN" && created) await startRouting(ctx, tx, conversation, instance.provider, routing);
  else if (direction === "IN" && conversation.routingState === "MENU") {
    await answerMenu(ctx, tx, conversation.id, instance.provider, event);
  }
  return row.id;
}
