import { ListMessagesInput, listMessages } from "@elsehu/core";
import { router, userProcedure } from "../trpc/init";

/** Reading only; sending lives with the message pipeline. */
export const messagesRouter = router({
  list: userProcedure.input(ListMessagesInput).query(({ ctx, input }) => listMessages(ctx.core, ctx.user, input)),
});
