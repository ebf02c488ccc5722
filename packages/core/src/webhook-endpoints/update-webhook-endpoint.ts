import { webhookDeliveries, webhookEndpoints } from "@elsehu/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { addJob } from "../jobs/add-job";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { notFound } from "../shared/errors";
import { DELIVER_LANE_JOB, laneJobKey } from "./event-types";
import { publicWebhookEndpoint, WebhookEventTypes, WebhookUrl } from "./shape";
import { assertPublicWebhookUrl } from "./webhook-url";

export const UpdateWebhookEndpointInput = z.object({
  id: z.string().uuid(),
  url: WebhookUrl.optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: WebhookEventTypes.optional(),
  /** false: stop delivering (pending deliveries wait); true: resume, failures forgiven. */
  enabled: z.boolean().optional(),
});
export type UpdateWebhookEndpointInput = z.input<typeof UpdateWebhookEndpointInput>;

/**
 * Edits an endpoint, or turns it off and on (admins). Turning one back on
 * resets its failure count and restarts the lanes whose deliveries waited.
 */
export async function updateWebhookEndpoint(ctx: CoreContext, actor: Actor, raw: UpdateWebhookEndpointInput) {
  const input = UpdateWebhookEndpointInput.parse(raw);
  if (input.url !== undefined) await assertPublicWebhookUrl(ctx, input.url);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.id)).for("update");
    if (!before) throw notFound("Webhook endpoint");
    const now = ctx.now();
    const toggled = input.enabled !== undefined && input.enabled !== before.enabled;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        updatedAt: now,
        ...(toggled && input.enabled
          ? { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 }
          : {}),
        ...(toggled && !input.enabled ? { enabled: false, disabledReason: "admin", disabledAt: now } : {}),
      })
      .where(eq(webhookEndpoints.id, input.id))
      .returning();
    if (!row) throw notFound("Webhook endpoint");
    if (toggled && input.enabled) await restartLanes(tx, row.id);
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook_endpoint.update",
      targetType: "webhook_endpoint",
      targetId: row.id,
      data: { url: input.url, eventTypes: input.eventTypes, enabled: input.enabled },
    });
    return publicWebhookEndpoint(row);
  });
}

/** One delivery job per lane that still has pending deliveries (they waited while the endpoint was off). */
async function restartLanes(tx: Tx, endpointId: string): Promise<void> {
  const lanes = await tx
    .selectDistinct({ lane: webhookDeliveries.lane })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "PENDING")))
    .limit(10_000);
  for (const { lane } of lanes) {
    await addJob(tx, DELIVER_LANE_JOB, { endpointId, lane }, { jobKey: laneJobKey(endpointId, lane) });
  }
}
