import {
  CreateInstanceInput,
  connectInstance,
  createInstance,
  deleteInstance,
  getInstance,
  listInstances,
  logoutInstance,
  refreshConnectionState,
  UpdateInstanceInput,
  updateInstance,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router } from "../trpc/init";

const byId = z.object({ id: z.string().uuid() });

/** WhatsApp numbers (service instances). Admin only; secrets are write-only and come back masked. */
export const instancesRouter = router({
  list: adminProcedure.query(({ ctx }) => listInstances(ctx.core)),

  get: adminProcedure.input(byId).query(({ ctx, input }) => getInstance(ctx.core, input.id)),

  create: adminProcedure
    .input(CreateInstanceInput)
    .mutation(({ ctx, input }) => createInstance(ctx.core, ctx.user, input)),

  update: adminProcedure
    .input(UpdateInstanceInput)
    .mutation(({ ctx, input }) => updateInstance(ctx.core, ctx.user, input)),

  delete: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deleteInstance(ctx.core, ctx.user, input.id);
    return { ok: true };
  }),

  /** Evolution: start pairing; returns the QR code (data URL) to scan, or the state if already paired. */
  connect: adminProcedure.input(byId).mutation(({ ctx, input }) => connectInstance(ctx.core, input.id)),

  /** Evolution: the live connection state, refreshed from the provider. */
  connectionState: adminProcedure.input(byId).query(({ ctx, input }) => refreshConnectionState(ctx.core, input.id)),

  /** Evolution: unpair the phone. */
  logout: adminProcedure.input(byId).mutation(({ ctx, input }) => logoutInstance(ctx.core, input.id)),
});
