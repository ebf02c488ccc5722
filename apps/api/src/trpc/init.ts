import { DomainError, failActiveSpan, tracingOn, withSpan } from "@elsehu/core";
import { initTRPC, TRPCError } from "@trpc/server";
import { releasing } from "../realtime/subscription-cap";
import type { Context } from "./context";
import { toTRPCError } from "./domain-errors";
import { errorData } from "./error-data";

const t = initTRPC.context<Context>().create({
  // Subscriptions only over the WebSocket (see http/no-http-subscriptions.ts); this is the second lock.
  sse: { enabled: false },
  // One formatter for every path (fast HTTP path, tRPC's fetch adapter, WebSocket): see error-data.ts.
  errorFormatter({ shape, error, ctx }) {
    const { message, ...data } = errorData(error, shape.message);
    // An internal error says nothing of itself; its request id lets support find its log line.
    const requestId = data.reason === "INTERNAL" ? ctx?.requestId : undefined;
    return {
      ...shape,
      message,
      data: { ...shape.data, stack: undefined, ...data, ...(requestId ? { requestId } : {}) },
    };
  },
});

/** Maps core's DomainError (and zod errors thrown by core parsing) to tRPC codes, in one place. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/**
 * Calls over a WebSocket count against the same per-user and per-address
 * limit as HTTP requests (the HTTP edge counts those before tRPC runs).
 */
const socketRateLimit = t.middleware(({ ctx, next }) => {
  if (ctx.transport === "ws") {
    const decision = ctx.rateCheck(ctx.ip, ctx.session?.id, 1);
    if (!decision.allowed) {
      const wait = decision.retryAfterSeconds;
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many requests. Try again in ${wait} seconds.` });
    }
  }
  return next();
});

/** A span per query and mutation while tracing is on (subscriptions live too long to be one). */
const traced = t.middleware(({ path, type, next }) => {
  if (!tracingOn() || type === "subscription") return next();
  return withSpan(
    `trpc ${path}`,
    async () => {
      const result = await next();
      if (!result.ok) failActiveSpan(result.error);
      return result;
    },
    { attributes: { "rpc.system": "trpc", "rpc.method": path } },
  );
});

const base = t.procedure.use(traced).use(mapErrors).use(socketRateLimit);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Open to anyone, signed in or not. Only `auth.login` uses it. */
export const publicProcedure = base;

type Role = "ADMIN" | "SUPERVISOR" | "OPERATOR";

/**
 * Signed in, with one of `roles`. One middleware (not one per check) and only
 * the narrowed fields passed to next(): tRPC copies the whole context at each
 * layer, on every request.
 */
function requireRole(...roles: Role[]) {
  return base.use(({ ctx, next, type }) => {
    const { user, session } = ctx;
    if (!user || !session) throw new DomainError("SIGN_IN_REQUIRED", "Sign in first");
    // Cookies are sent by browsers on cross-site requests: refuse mutations from foreign origins.
    if (type === "mutation" && ctx.authVia === "cookie" && !sameOrigin(ctx)) {
      throw new DomainError("CROSS_SITE_REFUSED", "Cross-site request refused");
    }
    if (!roles.includes(user.role)) throw new DomainError("ROLE_FORBIDDEN", "Your role cannot do this");
    // A subscription outlives its request: only a tracked socket is ended with its session.
    if (type === "subscription" && ctx.authVia !== "ws") {
      throw new TRPCError({
        code: "METHOD_NOT_SUPPORTED",
        message: "Subscriptions are served over the WebSocket only",
      });
    }
    if (type !== "subscription") return next({ ctx: { user, session } });
    return counted(ctx.subscriptions.acquire(user.id), () => next({ ctx: { user, session } }));
  });
}

/**
 * Runs a subscription's procedure holding one of its user's subscription
 * slots (refused with TOO_MANY_SUBSCRIPTIONS past the cap), released when the
 * stream ends however it ends, or at once if the procedure fails.
 */
async function counted<R extends { ok: boolean; data?: unknown }>(release: () => void, run: () => Promise<R>) {
  let result: R;
  try {
    result = await run();
  } catch (err) {
    release();
    throw err;
  }
  const data = result.data;
  if (!result.ok || !data || typeof data !== "object" || !(Symbol.asyncIterator in data)) {
    release();
    return result;
  }
  return { ...result, data: releasing(data as AsyncIterable<unknown>, release) };
}

function sameOrigin(ctx: Context): boolean {
  if (!ctx.origin) return false;
  if (ctx.allowedOrigins.includes(ctx.origin)) return true;
  try {
    return new URL(ctx.origin).host === ctx.host;
  } catch {
    return false;
  }
}

/** Any signed-in user (operators included). */
export const userProcedure = requireRole("ADMIN", "SUPERVISOR", "OPERATOR");
/** Supervisors and admins. */
export const staffProcedure = requireRole("ADMIN", "SUPERVISOR");
/** Admins only. */
export const adminProcedure = requireRole("ADMIN");
