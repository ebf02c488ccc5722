import {
  ChangePasswordInput,
  changePassword,
  endedReason,
  LoginInput,
  listSessions,
  login,
  logout,
  revokeSession,
  SESSION_ENDED,
  sessionState,
} from "@elsehu/core";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { streamEvents } from "../realtime/hub";
import { clearedCookie, sessionCookie } from "../trpc/context";
import { publicProcedure, router, userProcedure } from "../trpc/init";

export const authRouter = router({
  login: publicProcedure.input(LoginInput).mutation(async ({ ctx, input }) => {
    const result = await login(ctx.core, input, { ip: ctx.ip, userAgent: ctx.userAgent });
    ctx.resHeaders?.append("set-cookie", sessionCookie(ctx, result.token));
    return result;
  }),

  logout: userProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.core, ctx.user.id, ctx.session.id);
    // This process forgets at once; the others when the session.ended event reaches them.
    ctx.sessionCache.forgetSessions([ctx.session.id]);
    ctx.resHeaders?.append("set-cookie", clearedCookie);
    return { ok: true };
  }),

  me: userProcedure.query(({ ctx }) => ({ ...ctx.user, sessionExpiresAt: ctx.session.expiresAt })),

  sessions: userProcedure.query(({ ctx }) => listSessions(ctx.core, ctx.user.id, ctx.session.id)),

  revokeSession: userProcedure.input(z.object({ id: z.string().min(4).max(100) })).mutation(async ({ ctx, input }) => {
    await revokeSession(ctx.core, ctx.user.id, input.id);
    ctx.sessionCache.forgetUser(ctx.user.id);
    return { ok: true };
  }),

  changePassword: userProcedure.input(ChangePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.core, ctx.user.id, ctx.session.id, input);
    ctx.sessionCache.forgetUser(ctx.user.id);
    return { ok: true };
  }),

  /** Fires once when this connection's session is revoked, expires, or its user is cut off. */
  onSessionEnded: userProcedure.subscription(async function* ({ ctx, signal }) {
    const sessionId = ctx.session.id;
    const events = streamEvents(ctx.hub, ctx.core, ctx.user, {
      signal,
      kind: SESSION_ENDED,
      filter: (e) => {
        if (e.userId !== ctx.user.id) return false;
        const ids = e.payload.sessionIds;
        return ids === "ALL" || ids.includes(sessionId);
      },
    });
    // The first next() subscribes to the hub synchronously; only then check the session,
    // so an end that happened before the subscription is not missed.
    const first = events.next();
    const state = await sessionState(ctx.core, sessionId);
    if (state !== "alive") {
      await events.return(undefined);
      // Gone before we looked: the end was announced before this subscription listened.
      const reason = state === "expired" ? "expired" : await endedReason(ctx.core, ctx.user.id, sessionId);
      yield tracked("0", { reason });
      return;
    }
    const e = await first;
    if (!e.done) yield tracked(String(e.value.id), { reason: e.value.payload.reason });
    await events.return(undefined);
  }),
});
