import { contactIdentities, conversations, messages, serviceInstances } from "@elsehu/db";
import { ProviderError, type SendResult } from "@elsehu/providers";
import { eq, sql } from "drizzle-orm";
import { providerFor } from "../instances/provider-for";
import { addJob } from "../jobs/add-job";
import { countProviderError } from "../metrics/metric-counts";
import type { CoreContext } from "../shared/context";
import { transactionKnown } from "../shared/known-commit";
import { writeThroughOutage } from "../shared/through-outage";
import { UNKNOWN_AFTER_CRASH } from "./apply-status";
import { publishMessageStatus } from "./message-events";
import { sendByKind } from "./send-by-kind";
import { reserveSendSlotFor } from "./send-pacing";
import { recipientOf, replyTargetOf } from "./send-target";

/** Provider calls per message before a retryable failure becomes final. */
export const MAX_SEND_TRIES = 6;
/** A paced slot further away than this is not slept on: the job is rescheduled instead. */
const MAX_PACE_WAIT_MS = 10_000;

const backoffMs = (tries: number) => Math.min(60_000, 1000 * 2 ** (tries - 1)) * (0.8 + Math.random() * 0.4);

type Claim = NonNullable<Awaited<ReturnType<typeof claim>>>;

/**
 * Locks a QUEUED message and records the attempt (committed before the provider call).
 * Crash semantics: an attempt recorded without a provider id means a worker died during
 * the call, so we cannot know whether WhatsApp got the message. We never resend it (a
 * customer must not get it twice): it becomes FAILED with UNKNOWN_AFTER_CRASH, visible
 * to the operator, who may resend by hand. Meta echoes our message id in
 * biz_opaque_callback_data, so a later status webhook still reconciles it (apply-status).
 * A commit whose answer is lost still counts as the claim it is (transactionKnown).
 */
async function claim(ctx: CoreContext, messageId: string) {
  return transactionKnown(ctx, "send claim", async (tx) => {
    const [row] = await tx
      .select({ message: messages, conversation: conversations, instance: serviceInstances })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(serviceInstances, eq(serviceInstances.id, messages.instanceId))
      .where(eq(messages.id, messageId))
      .for("update", { of: messages });
    if (row?.message.direction !== "OUT" || row.message.status !== "QUEUED" || row.message.providerMessageId) {
      return null;
    }
    const content = row.message.content ?? {};
    const operatorId = row.conversation.operatorId;
    if (content.attemptAt) {
      await tx
        .update(messages)
        .set({
          status: "FAILED",
          errorCode: UNKNOWN_AFTER_CRASH,
          errorMessage: "The worker stopped during the send: delivery unknown, not resent automatically",
        })
        .where(eq(messages.id, messageId));
      await publishMessageStatus(tx, { messageId, conversationId: row.conversation.id, operatorId, status: "FAILED" });
      return null;
    }
    const tries = Number(content.tries ?? 0) + 1;
    await tx
      .update(messages)
      .set({ content: { ...content, attemptAt: ctx.now().toISOString(), tries } })
      .where(eq(messages.id, messageId));
    const to = await recipientOf(tx, row.instance.provider, row.conversation.contactId);
    const replyTo = to ? await replyTargetOf(tx, row.message.replyToId, to) : undefined;
    return { ...row, tries, to, replyTo };
  });
}

async function callProvider(ctx: CoreContext, c: Claim): Promise<SendResult> {
  const adapter = providerFor(ctx, c.instance);
  const to = c.to;
  if (!to)
    throw new ProviderError({
      provider: c.instance.provider,
      code: "NO_RECIPIENT",
      retryable: false,
      providerMessage: "The contact has no WhatsApp address",
    });
  const options = { replyTo: c.replyTo, callbackData: c.instance.provider === "META" ? c.message.id : undefined };
  return sendByKind(ctx, adapter, to, c.message, options);
}

/** Sends of one batch in flight at once: a send mostly waits on the provider, as a campaign tick's do. */
export const SEND_BATCH_CONCURRENCY = 8;

/**
 * Worker side of `messages/send_batch`: each message sent as deliverMessage sends it,
 * SEND_BATCH_CONCURRENCY at a time, under the number's pace like any send. Once the pace puts
 * a slot beyond MAX_PACE_WAIT_MS, the messages not sent yet go to one later batch job, at that
 * slot (no slot is taken for them meanwhile). One that throws (the database, not the provider:
 * provider failures are recorded) does not stop the others; the first error is rethrown so the
 * job is retried, and the retry skips what was sent (a claimed message is never sent twice).
 */
export async function deliverMessages(ctx: CoreContext, messageIds: readonly string[]): Promise<void> {
  let next = 0;
  let laterMs: number | null = null;
  const later: string[] = [];
  const errors: unknown[] = [];
  const lane = async () => {
    for (let i = next++; i < messageIds.length; i = next++) {
      const id = messageIds[i];
      if (!id) continue;
      if (laterMs !== null) {
        later.push(id);
        continue;
      }
      const outcome = await sendOne(ctx, id).catch((err: unknown) => {
        errors.push(err);
        return "sent" as const;
      });
      if (outcome !== "sent") {
        later.push(id);
        laterMs = Math.min(laterMs ?? outcome.laterMs, outcome.laterMs);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_BATCH_CONCURRENCY, messageIds.length) }, lane));
  if (later.length > 0) {
    const runAt = new Date(Date.now() + (laterMs ?? 0));
    await ctx.db.transaction((tx) => addJob(tx, "messages/send_batch", { messageIds: later }, { runAt }));
  }
  for (const err of errors.slice(1)) ctx.log.error({ err }, "batch send failed; the job is retried");
  if (errors.length > 0) throw errors[0];
}

/** Worker side of a send: pace, call the provider, then record the outcome and publish it. */
export async function deliverMessage(ctx: CoreContext, messageId: string): Promise<void> {
  const outcome = await sendOne(ctx, messageId);
  if (outcome === "sent") return;
  const runAt = new Date(Date.now() + outcome.laterMs);
  await ctx.db.transaction((tx) => addJob(tx, "messages/send_message", { messageId }, { runAt }));
}

/**
 * One send, unless the number's next free slot is more than MAX_PACE_WAIT_MS away: then it
 * takes no slot and says how long until that one ("sent" also covers a message with nothing to send).
 */
async function sendOne(ctx: CoreContext, messageId: string): Promise<"sent" | { laterMs: number }> {
  const slot = await reserveSendSlotFor(ctx, messageId, MAX_PACE_WAIT_MS);
  if (slot === null) return "sent";
  if (!slot.reserved) return { laterMs: slot.waitMs };
  if (slot.waitMs > 0) await new Promise((r) => setTimeout(r, slot.waitMs));
  const c = await claim(ctx, messageId);
  if (!c) return "sent";
  let result: SendResult;
  try {
    result = await callProvider(ctx, c);
  } catch (err) {
    await recordFailure(ctx, c, err);
    return "sent";
  }
  // The provider took it: a Postgres restart now must not leave it to become UNKNOWN_AFTER_CRASH.
  await writeThroughOutage(ctx, "message sent", () => recordSent(ctx, c, messageId, result));
  return "sent";
}

async function recordSent(ctx: CoreContext, c: Claim, messageId: string, result: SendResult): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    // An Evolution echo that slipped in before this commit must not stay as a second copy (Meta echoes nothing).
    if (c.instance.provider === "EVOLUTION") {
      await tx.execute(sql`delete from messages where instance_id = ${c.instance.id} and provider_message_id = ${result.providerMessageId}
        and id <> ${messageId} and direction = 'OUT' and author_id is null`);
    }
    const { attemptAt: _done, ...content } = c.message.content ?? {};
    if (result.waId) content.waId = result.waId;
    const now = ctx.now();
    await tx
      .update(messages)
      .set({
        providerMessageId: result.providerMessageId,
        status: "SENT",
        sentAt: now,
        content: { ...content, tries: c.tries },
      })
      .where(eq(messages.id, messageId));
    const identity = result.waId
      ? { kind: "wa_id" as const, externalId: result.waId }
      : result.remoteJid?.endsWith("@s.whatsapp.net")
        ? { kind: "jid" as const, externalId: result.remoteJid }
        : null;
    // Recorded unless the send already went to it (recipientOf read it from the contact's identities).
    if (identity && identity.externalId.replace(/@s\.whatsapp\.net$/, "") !== c.to) {
      await tx
        .insert(contactIdentities)
        .values({ contactId: c.conversation.contactId, provider: c.instance.provider, ...identity })
        .onConflictDoNothing();
    }
    await publishMessageStatus(tx, {
      messageId,
      conversationId: c.conversation.id,
      operatorId: c.conversation.operatorId,
      status: "SENT",
    });
  });
}

/** Retryable: clear the attempt and reschedule (honouring Retry-After). Otherwise: FAILED with the reason. */
async function recordFailure(ctx: CoreContext, c: Claim, err: unknown): Promise<void> {
  const error =
    err instanceof ProviderError
      ? err
      : new ProviderError({
          provider: c.instance.provider,
          code: "INTERNAL",
          retryable: false,
          providerMessage: err instanceof Error ? err.message : String(err),
          cause: err,
        });
  const { attemptAt: _cleared, ...content } = c.message.content ?? {};
  const retry = error.retryable && c.tries < MAX_SEND_TRIES;
  ctx.log[retry ? "warn" : "error"]({ messageId: c.message.id, code: error.code, tries: c.tries }, "send failed");
  await writeThroughOutage(ctx, "message send failure", () => recordFailureRow(ctx, c, error, retry, content));
}

async function recordFailureRow(
  ctx: CoreContext,
  c: Claim,
  error: ProviderError,
  retry: boolean,
  content: Record<string, unknown>,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    if (retry) {
      await tx
        .update(messages)
        .set({ content: { ...content, tries: c.tries, lastError: error.code } })
        .where(eq(messages.id, c.message.id));
      await countProviderError(tx, c.instance.provider, error.code);
      const delay = Math.max(error.retryAfterMs ?? 0, backoffMs(c.tries));
      await addJob(
        tx,
        "messages/send_message",
        { messageId: c.message.id },
        { runAt: new Date(Date.now() + delay), maxAttempts: 5 },
      );
      return;
    }
    await tx
      .update(messages)
      .set({
        status: "FAILED",
        errorCode: error.code,
        errorMessage: error.providerMessage,
        content: { ...content, tries: c.tries },
      })
      .where(eq(messages.id, c.message.id));
    await publishMessageStatus(tx, {
      messageId: c.message.id,
      conversationId: c.conversation.id,
      operatorId: c.conversation.operatorId,
      status: "FAILED",
    });
  });
}
