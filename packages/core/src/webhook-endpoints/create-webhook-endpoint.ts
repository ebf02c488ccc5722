import { webhookEndpoints } from "@elsehu/db";
import { count } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { encryptJson } from "../shared/crypto";
import { bug, DomainError } from "../shared/errors";
import { MAX_WEBHOOK_ENDPOINTS, publicWebhookEndpoint, WebhookEventTypes, WebhookUrl } from "./shape";
import { newWebhookSecret } from "./sign";
import { assertPublicWebhookUrl } from "./webhook-url";

export const CreateWebhookEndpointInput = z.object({
  url: WebhookUrl,
  description: z.string().trim().max(200).default(""),
  eventTypes: WebhookEventTypes,
});
export type CreateWebhookEndpointInput = z.input<typeof CreateWebhookEndpointInput>;

/**
 * Registers an outbound webhook endpoint (admins). Its signing secret is
 * generated here, answered once, and kept encrypted; the admin may reveal it
 * later (`revealWebhookSecret`, audited). Never logged.
 */
export async function createWebhookEndpoint(ctx: CoreContext, actor: Actor, raw: CreateWebhookEndpointInput) {
  const input = CreateWebhookEndpointInput.parse(raw);
  await assertPublicWebhookUrl(ctx, input.url);
  const secret = newWebhookSecret();
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(webhookEndpoints);
    if ((existing?.n ?? 0) >= MAX_WEBHOOK_ENDPOINTS) {
      throw new DomainError("TOO_MANY_WEBHOOK_ENDPOINTS", `at most ${MAX_WEBHOOK_ENDPOINTS} endpoints`, {
        max: MAX_WEBHOOK_ENDPOINTS,
      });
    }
    const now = ctx.now();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        secretEncrypted: encryptJson(ctx.config.encryptionKey, secret),
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!row) throw bug("webhook endpoint insert returned nothing");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook_endpoint.create",
      targetType: "webhook_endpoint",
      targetId: row.id,
      data: { url: row.url, eventTypes: row.eventTypes },
    });
    return { secret, endpoint: publicWebhookEndpoint(row) };
  });
}
