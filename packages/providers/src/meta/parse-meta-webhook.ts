import type { z } from "zod";
import { WebhookParseError } from "../errors";
import type { WebhookEvent } from "../types";
import { toInboundMessage, toStatusUpdate } from "./meta-events";
import { metaValueSchema, metaWebhookSchema } from "./meta-webhook-schema";

export interface MetaWebhookBatch {
  /** Route on this: it identifies the service instance. */
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber?: string;
  events: WebhookEvent[];
}

function fail(error: z.ZodError, prefix: string): never {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".");
  throw new WebhookParseError(issue?.message ?? "invalid webhook body", path);
}

/**
 * Flattens a Meta webhook POST (possibly batching many entries, changes, messages and
 * statuses) into one batch per phone number id. Fields other than `messages` (account
 * updates, template reviews) yield no events. Throws WebhookParseError on a malformed body.
 */
export function parseMetaWebhook(body: unknown): MetaWebhookBatch[] {
  const envelope = metaWebhookSchema.safeParse(body);
  if (!envelope.success) fail(envelope.error, "");
  if (envelope.data.object !== "whatsapp_business_account") {
    throw new WebhookParseError(`unexpected object "${envelope.data.object}"`, "object");
  }
  const batches: MetaWebhookBatch[] = [];
  envelope.data.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      if (change.field !== "messages") return;
      const value = metaValueSchema.safeParse(change.value);
      if (!value.success) fail(value.error, `entry.${e}.changes.${c}.value`);
      const contacts = value.data.contacts ?? [];
      const events: WebhookEvent[] = [];
      for (const message of value.data.messages ?? []) events.push(toInboundMessage(message, contacts));
      for (const status of value.data.statuses ?? []) {
        const event = toStatusUpdate(status);
        if (event) events.push(event);
      }
      const batch: MetaWebhookBatch = {
        phoneNumberId: value.data.metadata.phone_number_id,
        wabaId: entry.id,
        events,
      };
      if (value.data.metadata.display_phone_number) batch.displayPhoneNumber = value.data.metadata.display_phone_number;
      batches.push(batch);
    });
  });
  return batches;
}
