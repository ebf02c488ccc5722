import { contacts } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { OPT_OUT_ACK_TEXT } from "./handle-opt-out";
import { providerForInstance } from "./provider-for-instance";

/**
 * Sends the opt-out acknowledgement (a free-form text is allowed: the customer just
 * wrote). Provider errors propagate so the job retries retryable ones.
 */
export async function ackOptOut(
  ctx: CoreContext,
  input: { contactId: string; instanceId: string },
): Promise<string | null> {
  const [contact] = await ctx.db
    .select({ phone: contacts.phone })
    .from(contacts)
    .where(eq(contacts.id, input.contactId));
  if (!contact?.phone) return null;
  const adapter = await providerForInstance(ctx, input.instanceId);
  const result = await adapter.sendText(contact.phone, OPT_OUT_ACK_TEXT);
  return result.providerMessageId;
}
