import {
  CreateTabulationInput,
  createTabulation,
  listTabulations,
  RenameTabulationInput,
  removeTabulation,
  renameTabulation,
  SetTabulationActiveInput,
  setTabulationActive,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router, userProcedure } from "../trpc/init";

const shape = (t: { id: string; name: string; active: boolean; createdAt: Date }) => ({
  id: t.id,
  name: t.name,
  active: t.active,
  createdAt: t.createdAt,
});

export const tabulationsRouter = router({
  /** Everyone lists the active tabulations (to close a conversation); admins may ask for all. */
  list: userProcedure
    .input(z.object({ includeInactive: z.boolean().default(false) }).default({ includeInactive: false }))
    .query(async ({ ctx, input }) => {
      const all = input.includeInactive && ctx.user.role === "ADMIN";
      return (await listTabulations(ctx.core, { includeInactive: all })).map(shape);
    }),

  create: adminProcedure
    .input(CreateTabulationInput)
    .mutation(async ({ ctx, input }) => shape(await createTabulation(ctx.core, ctx.user, input))),

  rename: adminProcedure
    .input(RenameTabulationInput)
    .mutation(async ({ ctx, input }) => shape(await renameTabulation(ctx.core, ctx.user, input))),

  setActive: adminProcedure
    .input(SetTabulationActiveInput)
    .mutation(async ({ ctx, input }) => shape(await setTabulationActive(ctx.core, ctx.user, input))),

  /** Deletes an unused tabulation; a used one is only deactivated. */
  remove: adminProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(({ ctx, input }) => removeTabulation(ctx.core, ctx.user, input.id)),
});
