import { processWebhookEvent, RetryLater } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

const eventId = z.coerce.number().int().positive();

/**
 * Applies the stored webhooks of one acknowledgement batch, in arrival order
 * (`webhookEventId` alone is the payload of jobs queued before group commit).
 * A failed event does not stop the others; if any failed the job throws so
 * graphile-worker retries it with exponential backoff, and the retry skips the
 * events already applied (processing is idempotent anyway). RetryLater (an event
 * about a send whose provider id is not saved yet) is an expected, quiet retry.
 */
export const processWebhookTask = defineTask(
  "messages/process_webhook",
  z.union([z.object({ webhookEventIds: z.array(eventId).min(1) }), z.object({ webhookEventId: eventId })]),
  async (payload, { core }, helpers) => {
    const ids = "webhookEventIds" in payload ? payload.webhookEventIds : [payload.webhookEventId];
    const finalAttempt = helpers.job.attempts >= helpers.job.max_attempts;
    let failure: unknown = null;
    for (const id of ids) {
      try {
        await processWebhookEvent(core, id, { finalAttempt });
      } catch (err) {
        failure ??= err;
        if (!(err instanceof RetryLater)) core.log.warn({ err, webhookEventId: id }, "webhook processing failed");
        await core.sql`update webhook_events set error = ${err instanceof Error ? err.message : String(err)}
          where id = ${id}`;
      }
    }
    if (failure) throw failure;
  },
);
