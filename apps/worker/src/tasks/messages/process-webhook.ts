import { processWebhookEvent, RetryLater } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/**
 * Applies one stored webhook. Failures throw so graphile-worker retries with its
 * exponential backoff (processing is idempotent); RetryLater (an event about a
 * send whose provider id is not saved yet) is an expected, quiet retry.
 */
export const processWebhookTask = defineTask(
  "messages/process_webhook",
  z.object({ webhookEventId: z.coerce.number().int().positive() }),
  async (payload, { core }, helpers) => {
    try {
      await processWebhookEvent(core, payload.webhookEventId, {
        finalAttempt: helpers.job.attempts >= helpers.job.max_attempts,
      });
    } catch (err) {
      if (!(err instanceof RetryLater))
        core.log.warn({ err, webhookEventId: payload.webhookEventId }, "webhook processing failed");
      await core.sql`update webhook_events set error = ${err instanceof Error ? err.message : String(err)}
        where id = ${payload.webhookEventId}`;
      throw err;
    }
  },
);
