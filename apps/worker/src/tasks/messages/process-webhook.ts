import { defineTask } from "../define";

/**
 * Jobs of this task were queued, one per acknowledgement batch, before the webhook
 * inbox (core/webhooks/webhook-inbox.ts). Their webhooks, still unprocessed, are in
 * the inbox and the webhook pump applies them: such a job has nothing left to do,
 * and ending it quietly keeps it from being applied twice at once.
 */
export const processWebhookTask = defineTask("messages/process_webhook", async () => {});
