import { processWebhookEvents, RetryLater } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

const eventId = z.coerce.number().int().positive();

/**
 * Applies the stored webhooks of one acknowledgement batch, in arrival order
 * (`webhookEventId` alone is the payload of jobs queued before group commit).
 * A failed webhook does not stop the others; if any failed the job throws so
 * graphile-worker retries it with exponential backoff, and the retry skips the
 * webhooks already applied. RetryLater (an event about a send whose provider id
 * is not saved yet) is an expected, quiet retry.
 */
export const processWebhookTask = defineTask(
  "messages/process_webhook",
  z.union([z.object({ webhookEventIds: z.array(eventId).min(1) }), z.object({ webhookEventId: eventId })]),
  async (payload, { core }, helpers) => {
    const ids = "webhookEventIds" in payload ? payload.webhookEventIds : [payload.webhookEventId];
    const failures = await processWebhookEvents(core, ids, {
      finalAttempt: helpers.job.attempts >= helpers.job.max_attempts,
    });
    for (const f of failures) {
      if (!(f.error instanceof RetryLater)) {
        core.log.warn({ err: f.error, webhookEventId: f.webhookEventId }, "webhook processing failed");
      }
    }
    if (failures[0]) throw failures[0].error;
  },
);
