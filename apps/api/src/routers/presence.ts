import { getUser, presenceBoard, SetPresenceInput, setPresence, transferTargets } from "@elsehu/core";
import { router, staffProcedure, userProcedure } from "../trpc/init";

export const presenceRouter = router({
  /** Pause (with a reason) or come back online. Requires an open console socket. */
  setStatus: userProcedure.input(SetPresenceInput).mutation(({ ctx, input }) => setPresence(ctx.core, ctx.user, input)),

  me: userProcedure.query(async ({ ctx }) => {
    const me = await getUser(ctx.core, ctx.user.id);
    return { presence: me.presence, pauseReason: me.pauseReason, presenceChangedAt: me.presenceChangedAt };
  }),

  /** Everyone's status, time of the last change, open count and capacity; live via `events.onPresence`. */
  board: staffProcedure.query(({ ctx }) => presenceBoard(ctx.core, ctx.user)),

  /** Online operators one may hand a conversation to (names, room, departments): for operators too. */
  transferTargets: userProcedure.query(({ ctx }) => transferTargets(ctx.core, ctx.user)),
});
