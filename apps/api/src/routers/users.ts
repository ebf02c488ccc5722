import {
  CreateUserInput,
  createUser,
  DomainError,
  getUser,
  ListUsersInput,
  listUsers,
  ResetPasswordInput,
  resetPassword,
  UpdateUserInput,
  updateUser,
} from "@elsehu/core";
import { z } from "zod";
import { adminProcedure, router, userProcedure } from "../trpc/init";

export const usersRouter = router({
  /** Supervisors and admins list everyone; an operator sees only himself. */
  list: userProcedure.input(ListUsersInput).query(async ({ ctx, input }) => {
    if (ctx.user.role === "OPERATOR") {
      const me = await getUser(ctx.core, ctx.user.id);
      return { items: [me], nextCursor: null };
    }
    return listUsers(ctx.core, input);
  }),

  get: userProcedure.input(z.object({ id: z.string().uuid() })).query(({ ctx, input }) => {
    if (ctx.user.role === "OPERATOR" && input.id !== ctx.user.id) {
      throw new DomainError("NOT_OWN_PROFILE", "Operators can only read their own profile");
    }
    return getUser(ctx.core, input.id);
  }),

  create: adminProcedure.input(CreateUserInput).mutation(({ ctx, input }) => createUser(ctx.core, ctx.user, input)),

  update: adminProcedure.input(UpdateUserInput).mutation(async ({ ctx, input }) => {
    const user = await updateUser(ctx.core, ctx.user, input);
    // Role or activation may have changed: this process re-reads the user at once (others on user.updated).
    ctx.sessionCache.forgetUser(input.id);
    return user;
  }),

  resetPassword: adminProcedure.input(ResetPasswordInput).mutation(async ({ ctx, input }) => {
    await resetPassword(ctx.core, ctx.user, input);
    ctx.sessionCache.forgetUser(input.id);
    return { ok: true };
  }),
});
