import { webhookDeliveries, webhookEndpoints } from "@elsehu/db";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { decryptJson } from "../shared/crypto";
import { notFound } from "../shared/errors";
import { publicWebhookEndpoint } from "./shape";

/** Every endpoint, oldest first (admins only: see the router). */
export async function listWebhookEndpoints(ctx: Pick<CoreContext, "db">) {
  const rows = await ctx.db.select().from(webhookEndpoints).orderBy(webhookEndpoints.createdAt).limit(100);
  return rows.map(publicWebhookEndpoint);
}

export const ListWebhookDeliveriesInput = z.object({
  endpointId: z.string().uuid(),
  limit: z.number().int().min(1).max(100).default(30),
});
export type ListWebhookDeliveriesInput = z.input<typeof ListWebhookDeliveriesInput>;

/** An endpoint's latest deliveries, newest first, without their bodies. */
export async function listWebhookDeliveries(ctx: Pick<CoreContext, "db">, raw: ListWebhookDeliveriesInput) {
  const input = ListWebhookDeliveriesInput.parse(raw);
  const d = webhookDeliveries;
  return ctx.db
    .select({
      id: d.id,
      publicId: d.publicId,
      type: d.type,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.nextAttemptAt,
      lastAttemptAt: d.lastAttemptAt,
      responseStatus: d.responseStatus,
      responseExcerpt: d.responseExcerpt,
      error: d.error,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
    })
    .from(d)
    .where(eq(d.endpointId, input.endpointId))
    .orderBy(desc(d.id))
    .limit(input.limit);
}

/** The signing secret, for an admin who lost it; audited. */
export async function revealWebhookSecret(ctx: CoreContext, actor: Actor, id: string) {
  const [row] = await ctx.db
    .select({ secret: webhookEndpoints.secretEncrypted })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id));
  if (!row) throw notFound("Webhook endpoint");
  await recordAudit(ctx.db, {
    actorId: actor.id,
    action: "webhook_endpoint.reveal_secret",
    targetType: "webhook_endpoint",
    targetId: id,
  });
  return { secret: decryptJson<string>(ctx.config.encryptionKey, row.secret) };
}
