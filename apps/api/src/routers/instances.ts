import {
  addInstance,
  CreateInstanceInput,
  connectInstance,
  deleteInstance,
  getInstance,
  listInstances,
  logoutInstance,
  refreshConnectionState,
  SetRoutingInput,
  setInstanceRouting,
  UpdateInstanceInput,
  updateInstance,
  verifyInstance,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router } from "../trpc/init";

const byId = z.object({ id: z.string().uuid() });

/** WhatsApp numbers (service instances). Admin only; secrets are write-only and come back masked. */
export const instancesRouter = router({
  list: adminProcedure.query(({ ctx }) => listInstances(ctx.core)),

  get: adminProcedure.input(byId).query(({ ctx, input }) => getInstance(ctx.core, input.id)),

  /**
   * Calls the provider before saving: Meta's number details are read (a bad token or
   * phone number id is named); Evolution's instance is created if missing and its
   * webhook set to PUBLIC_URL. Nothing is saved when the provider refuses.
   */
  create: adminProcedure
    .input(CreateInstanceInput)
    .mutation(({ ctx, input }) => addInstance(ctx.core, ctx.user, input)),

  /** Checks a saved number again with its provider and stores what it said. */
  verify: adminProcedure.input(byId).mutation(({ ctx, input }) => verifyInstance(ctx.core, input.id)),

  update: adminProcedure
    .input(UpdateInstanceInput)
    .mutation(({ ctx, input }) => updateInstance(ctx.core, ctx.user, input)),

  /** First contact: global queue, one department, or a menu of departments (see core/routing). */
  setRouting: adminProcedure
    .input(SetRoutingInput)
    .mutation(({ ctx, input }) => setInstanceRouting(ctx.core, ctx.user, input)),

  delete: adminProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deleteInstance(ctx.core, ctx.user, input.id);
    return { ok: true };
  }),

  /** Evolution: start pairing; returns the QR code (data URL) to scan, or the state if already paired. */
  connect: adminProcedure.input(byId).mutation(({ ctx, input }) => connectInstance(ctx.core, ctx.user, input.id)),

  /** Evolution: the live connection state, refreshed from the provider. */
  connectionState: adminProcedure.input(byId).query(({ ctx, input }) => refreshConnectionState(ctx.core, input.id)),

  /** Evolution: unpair the phone. */
  logout: adminProcedure.input(byId).mutation(({ ctx, input }) => logoutInstance(ctx.core, ctx.user, input.id)),
});
