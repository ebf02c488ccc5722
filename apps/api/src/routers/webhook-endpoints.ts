import {
  CreateWebhookEndpointInput,
  createWebhookEndpoint,
  ListWebhookDeliveriesInput,
  listWebhookDeliveries,
  listWebhookEndpoints,
  ResendWebhookDeliveryInput,
  resendWebhookDelivery,
  revealWebhookSecret,
  SendTestWebhookInput,
  sendTestWebhook,
  UpdateWebhookEndpointInput,
  updateWebhookEndpoint,
  WEBHOOK_EVENT_TYPES,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router } from "../trpc/init";

/**
 * Administração → Webhooks: outbound webhook endpoints and their deliveries,
 * admins only. The signing secret is answered by `create` and by
 * `revealSecret` (audited), never by a list.
 */
export const webhookEndpointsRouter = router({
  eventTypes: adminProcedure.query(() => [...WEBHOOK_EVENT_TYPES]),

  list: adminProcedure.query(({ ctx }) => listWebhookEndpoints(ctx.core)),

  create: adminProcedure
    .input(CreateWebhookEndpointInput)
    .mutation(({ ctx, input }) => createWebhookEndpoint(ctx.core, ctx.user, input)),

  update: adminProcedure
    .input(UpdateWebhookEndpointInput)
    .mutation(({ ctx, input }) => updateWebhookEndpoint(ctx.core, ctx.user, input)),

  revealSecret: adminProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(({ ctx, input }) => revealWebhookSecret(ctx.core, ctx.user, input.id)),

  deliveries: adminProcedure
    .input(ListWebhookDeliveriesInput)
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.core, input)),

  resend: adminProcedure
    .input(ResendWebhookDeliveryInput)
    .mutation(({ ctx, input }) => resendWebhookDelivery(ctx.core, ctx.user, input)),

  sendTest: adminProcedure
    .input(SendTestWebhookInput)
    .mutation(({ ctx, input }) => sendTestWebhook(ctx.core, ctx.user, input)),
});
