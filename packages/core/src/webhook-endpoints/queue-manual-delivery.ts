import { randomUUID } from "node:crypto";
import { webhookDeliveries, webhookEndpoints } from "@elsehu/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { addJob } from "../jobs/add-job";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { DELIVER_LANE_JOB, laneJobKey, WEBHOOK_TEST_TYPE } from "./event-types";

export const SendTestWebhookInput = z.object({ endpointId: z.string().uuid() });
export const ResendWebhookDeliveryInput = z.object({
  endpointId: z.string().uuid(),
  deliveryId: z.number().int().min(1),
});
export type SendTestWebhookInput = z.input<typeof SendTestWebhookInput>;
export type ResendWebhookDeliveryInput = z.input<typeof ResendWebhookDeliveryInput>;

/** "Enviar teste": a `webhook.test` delivery to the endpoint, on a lane of its own. */
export async function sendTestWebhook(ctx: CoreContext, actor: Actor, raw: SendTestWebhookInput) {
  const input = SendTestWebhookInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    await lockEnabled(tx, input.endpointId);
    const at = ctx.now();
    const data = { message: "Entrega de teste do Elsehu Atendimento.", endpointId: input.endpointId };
    const id = await queue(tx, input.endpointId, { type: WEBHOOK_TEST_TYPE, data, createdAt: at });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook_endpoint.test",
      targetType: "webhook_endpoint",
      targetId: input.endpointId,
    });
    return { deliveryId: id };
  });
}

/**
 * "Reenviar": the same event again (same body `id`, so a receiver that kept it
 * can drop it), as a new delivery on a lane of its own.
 */
export async function resendWebhookDelivery(ctx: CoreContext, actor: Actor, raw: ResendWebhookDeliveryInput) {
  const input = ResendWebhookDeliveryInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    await lockEnabled(tx, input.endpointId);
    const [old] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.endpointId, input.endpointId)));
    if (!old) throw notFound("Webhook delivery");
    const id = await queue(tx, input.endpointId, {
      publicId: old.publicId,
      type: old.type,
      eventId: old.eventId,
      eventKind: old.eventKind,
      eventPayload: old.eventPayload,
      contactId: old.contactId,
      data: old.data,
      createdAt: ctx.now(),
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "webhook_endpoint.resend",
      targetType: "webhook_endpoint",
      targetId: input.endpointId,
      data: { deliveryId: old.id },
    });
    return { deliveryId: id };
  });
}

async function lockEnabled(tx: Tx, endpointId: string): Promise<void> {
  const [endpoint] = await tx
    .select({ enabled: webhookEndpoints.enabled })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId))
    .for("share");
  if (!endpoint) throw notFound("Webhook endpoint");
  if (!endpoint.enabled) throw new DomainError("WEBHOOK_ENDPOINT_DISABLED", "the endpoint is disabled");
}

type Manual = Omit<typeof webhookDeliveries.$inferInsert, "endpointId" | "lane">;

async function queue(tx: Tx, endpointId: string, values: Manual): Promise<number> {
  const lane = `m:${randomUUID()}`;
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({ ...values, endpointId, lane, nextAttemptAt: values.createdAt })
    .returning({ id: webhookDeliveries.id });
  if (!row) throw bug("webhook delivery insert returned nothing");
  await addJob(tx, DELIVER_LANE_JOB, { endpointId, lane }, { jobKey: laneJobKey(endpointId, lane) });
  return row.id;
}
