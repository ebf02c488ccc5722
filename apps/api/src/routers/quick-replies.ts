import {
  CreateQuickReplyInput,
  createQuickReply,
  deleteQuickReply,
  ListQuickRepliesInput,
  listQuickReplies,
  UpdateQuickReplyInput,
  updateQuickReply,
} from "@elsehu/core";
import { z } from "zod";
import { router, userProcedure } from "../trpc/init";

/**
 * Respostas rápidas. Everyone lists his own and the shared ones and manages his
 * own; shared ones are created and changed by staff only (enforced in core).
 */
export const quickRepliesRouter = router({
  list: userProcedure
    .input(ListQuickRepliesInput)
    .query(({ ctx, input }) => listQuickReplies(ctx.core, ctx.user, input)),

  create: userProcedure
    .input(CreateQuickReplyInput)
    .mutation(({ ctx, input }) => createQuickReply(ctx.core, ctx.user, input)),

  update: userProcedure
    .input(UpdateQuickReplyInput)
    .mutation(({ ctx, input }) => updateQuickReply(ctx.core, ctx.user, input)),

  remove: userProcedure
    .input(z.object({ id: z.string().uuid() }))
    .mutation(({ ctx, input }) => deleteQuickReply(ctx.core, ctx.user, input.id)),
});
