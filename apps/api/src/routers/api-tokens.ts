import { CreateApiTokenInput, createApiToken, listApiTokens, revokeApiToken } from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router } from "../trpc/init";

/** Administração → Integrações → Tokens de API: admins only. The token itself is answered once, by `create`. */
export const apiTokensRouter = router({
  list: adminProcedure.query(({ ctx }) => listApiTokens(ctx.core)),

  create: adminProcedure
    .input(CreateApiTokenInput)
    .mutation(({ ctx, input }) => createApiToken(ctx.core, ctx.user, input)),

  revoke: adminProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.core, ctx.user, input.id)),
});
