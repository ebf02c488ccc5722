import { type MessageMedia, messages } from "@elsehu/db";
import { sendLimits } from "@elsehu/providers";
import { z } from "zod";
import { addJob } from "../jobs/add-job";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { publishMessageCreated } from "./message-events";
import { conversationForPhone, PhoneTarget } from "./phone-target";
import { checkReplyTarget, sendableConversation } from "./sendable-conversation";
import { touchConversation } from "./touch-conversation";

export const SendTextInput = z.object({
  conversationId: z.string().uuid(),
  body: z.string().trim().min(1, "The message is empty"),
  replyToId: z.string().uuid().optional(),
});
export type SendTextInput = z.infer<typeof SendTextInput>;

/** Where a send goes: a conversation, or (public API) a phone on one number. */
export const SendTargetFields = {
  conversationId: z.string().uuid().optional(),
  /** A phone on a WhatsApp number: its active conversation, opened if none (staff only). */
  to: PhoneTarget.optional(),
};
const oneTarget = (v: { conversationId?: string; to?: PhoneTarget }) =>
  (v.conversationId === undefined) !== (v.to === undefined);
export const ONE_TARGET = { message: "give either conversationId or to", path: ["conversationId"] };
export const checkOneTarget = oneTarget;

/** `messages.send` addressed to a conversation or to a phone (the public API's form). */
export const SendTextToInput = SendTextInput.extend(SendTargetFields).refine(oneTarget, ONE_TARGET);
export type SendTextToInput = z.input<typeof SendTextToInput>;

/** The target a parsed input names (exactly one is present once `checkOneTarget` passed). */
export function targetOf(input: { conversationId?: string; to?: PhoneTarget }): string | PhoneTarget {
  if (input.conversationId) return input.conversationId;
  if (input.to) return input.to;
  throw bug("send without a target");
}

/** Runs in the send's transaction with the queued message (the public API stores its Idempotency-Key there). */
export type WithinSend = (tx: Tx, message: typeof messages.$inferSelect) => Promise<void>;

type Draft = {
  type: string;
  body: string | null;
  media: MessageMedia | null;
  replyToId?: string;
  content?: Record<string, unknown>;
};
type Target = Awaited<ReturnType<typeof sendableConversation>>;

/**
 * Inserts an outbound message as QUEUED together with its send job (one
 * transaction), stamps the conversation and publishes `message.created`.
 * The worker task `messages/send_message` does the provider call. A draft that
 * depends on the number (a template) is a function of the checked target;
 * `template` lifts the 24-hour window, nothing else.
 */
export async function queueOutbound(
  ctx: CoreContext,
  actor: Actor,
  to: string | PhoneTarget,
  prepare: Draft | ((tx: Tx, target: Target) => Promise<Draft>),
  opts: { template?: boolean; within?: WithinSend } = {},
) {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const conversationId =
      typeof to === "string" ? to : await conversationForPhone(tx, actor, to, now, ctx.config.defaultRegion);
    const target = await sendableConversation(tx, actor, conversationId, now, opts);
    const { conversation, instance } = target;
    const draft = typeof prepare === "function" ? await prepare(tx, target) : prepare;
    await checkReplyTarget(tx, conversation.id, draft.replyToId);
    const limits = sendLimits[instance.provider];
    if (draft.body && draft.body.length > (draft.media ? limits.maxCaptionChars : limits.maxTextChars)) {
      const max = draft.media ? limits.maxCaptionChars : limits.maxTextChars;
      throw new DomainError("BODY_TOO_LONG", `body: at most ${max} characters`, { field: "body", max });
    }
    const [row] = await tx
      .insert(messages)
      .values({
        conversationId: conversation.id,
        instanceId: instance.id,
        direction: "OUT",
        type: draft.type,
        body: draft.body,
        media: draft.media,
        content: draft.content ?? null,
        replyToId: draft.replyToId ?? null,
        status: "QUEUED",
        authorId: actor.id,
        createdAt: now,
      })
      .returning();
    if (!row) throw bug("message insert returned nothing");
    await addJob(tx, "messages/send_message", { messageId: row.id }, { maxAttempts: 5 });
    await touchConversation(tx, conversation.id, { direction: "OUT", at: now, human: true });
    await publishMessageCreated(tx, {
      messageId: row.id,
      conversationId: conversation.id,
      operatorId: conversation.operatorId,
      direction: "OUT",
    });
    await opts.within?.(tx, row);
    return row;
  });
}

export async function queueTextMessage(
  ctx: CoreContext,
  actor: Actor,
  raw: SendTextToInput,
  opts: { within?: WithinSend } = {},
) {
  const input = SendTextToInput.parse(raw);
  return queueOutbound(
    ctx,
    actor,
    targetOf(input),
    { type: "text", body: input.body, media: null, replyToId: input.replyToId },
    opts,
  );
}
