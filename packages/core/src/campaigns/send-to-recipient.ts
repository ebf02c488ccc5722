import { type ProviderAdapter, ProviderError } from "@elsehu/providers";
import { templateInput } from "../templates/template-variables";
import type { TemplateRow } from "../templates/template-view";
import type { ClaimedRecipient } from "./claim-recipients";

/**
 * What happened to one provider call, and the recipient status it becomes.
 *
 * - SENT: the provider accepted it and gave an id (status webhooks move it on).
 * - FAILED: the provider refused it (bad number, not on WhatsApp, template
 *   rejected...): its code and words are kept; never retried.
 * - PENDING (requeued): the provider definitely did NOT accept it — HTTP 429, or a
 *   5xx (other than 504) answered with the provider's own error body. Retried later.
 * - UNKNOWN: anything ambiguous — timeout, connection dropped, 504, a 5xx without
 *   the provider's error body, an unexpected exception. It may have been sent, so
 *   it is never retried automatically (a person decides).
 */
export type Outcome =
  | { id: string; status: "SENT"; providerMessageId: string }
  | { id: string; status: "FAILED" | "UNKNOWN"; code: string; reason: string }
  | { id: string; status: "PENDING"; code: string; reason: string; retryAfterMs: number };

/** True when the provider answered, in its own error format, that it did not take the message. */
export function definitelyNotAccepted(err: ProviderError): boolean {
  const status = err.httpStatus;
  if (status === undefined) return false;
  if (status === 429) return true;
  if (status < 500 || status === 504) return false;
  const bare = err.code === `HTTP_${status}` && err.providerMessage === `HTTP ${status}`;
  return !bare;
}

export async function sendToRecipient(
  adapter: ProviderAdapter,
  template: TemplateRow,
  recipient: ClaimedRecipient,
): Promise<Outcome> {
  const id = recipient.id;
  try {
    const result = await adapter.sendTemplate(recipient.phone, templateInput(template, recipient.variables));
    return { id, status: "SENT", providerMessageId: result.providerMessageId };
  } catch (err) {
    if (!(err instanceof ProviderError)) {
      const reason = `unknown: unexpected error during the provider call (${err instanceof Error ? err.name : "error"})`;
      return { id, status: "UNKNOWN", code: "INTERNAL", reason };
    }
    if (!err.retryable) return { id, status: "FAILED", code: err.code, reason: err.providerMessage };
    if (definitelyNotAccepted(err)) {
      return {
        id,
        status: "PENDING",
        code: err.code,
        reason: err.providerMessage,
        retryAfterMs: err.retryAfterMs ?? 2000,
      };
    }
    return { id, status: "UNKNOWN", code: err.code, reason: `unknown: ${err.providerMessage}` };
  }
}
