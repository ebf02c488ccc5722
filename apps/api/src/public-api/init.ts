import {
  type ApiCaller,
  type ApiScope,
  authenticateApiToken,
  type CoreContext,
  DomainError,
  failActiveSpan,
  nameRequestRoute,
  recordAudit,
  tracingOn,
  withSpan,
} from "@elsehu/core";
import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { toTRPCError } from "../trpc/domain-errors";
import { errorData } from "../trpc/error-data";

/** What each `/api/v1` call carries: the bearer token (checked by `scoped`), the client and its Idempotency-Key. */
export type PublicContext = {
  core: CoreContext;
  bearer: string | undefined;
  ip: string;
  idempotencyKey: string | undefined;
  /** Response headers a procedure may add (`Idempotent-Replayed`). */
  resHeaders: { set(name: string, value: string): void };
};

/**
 * The public API's own tRPC instance: its procedures are never on `/trpc`
 * (no session can reach them) and are served as REST by trpc-to-openapi.
 * Errors carry the same `reason` (and `details`) as the console's tRPC calls.
 */
const t = initTRPC
  .context<PublicContext>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const { message, reason, details } = errorData(error, shape.message);
      return { message, reason, ...(details ? { details } : {}) };
    },
  });

export const publicRouter = t.router;

/** DomainError and zod errors to their HTTP codes, as in `trpc/init.ts`. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

/** Where `/api/v1` is mounted (the route patterns in the procedures' meta are under it). */
export const API_BASE = "/api/v1";

/**
 * While tracing is on: the request's server span is named by the procedure's route
 * pattern (`POST /api/v1/messages/text`, `GET /api/v1/contacts/{id}`), and the call
 * is a span of its own, as `/trpc` procedures are.
 */
const traced = t.middleware(({ path, meta, next }) => {
  if (!tracingOn()) return next();
  const route = meta?.openapi;
  if (route) nameRequestRoute(route.method, `${API_BASE}${route.path}`);
  return withSpan(
    `api ${path}`,
    async () => {
      const result = await next();
      if (!result.ok) failActiveSpan(result.error);
      return result;
    },
    { attributes: { "rpc.system": "openapi", "rpc.method": path } },
  );
});

/**
 * A call with a token holding `scope`. It acts as the token's owner (his role
 * and isolation rules still apply) and every write is audited as the token:
 * `api.<procedure>` with its id and name, whether it succeeded or not.
 */
export function scoped(scope: ApiScope) {
  return t.procedure
    .use(traced)
    .use(mapErrors)
    .use(async ({ ctx, next, type, path }) => {
      const caller: ApiCaller = await authenticateApiToken(ctx.core, ctx.bearer, ctx.ip);
      if (!caller.token.scopes.includes(scope)) {
        throw new DomainError("API_SCOPE_MISSING", `This token lacks the ${scope} scope`, { scope });
      }
      const result = await next({ ctx: { caller, actor: caller.actor } });
      if (type === "mutation") {
        await recordAudit(ctx.core.db, {
          actorId: caller.actor.id,
          apiTokenId: caller.token.id,
          action: `api.${path}`,
          targetType: "api_call",
          data: { token: caller.token.name, ok: result.ok, ip: ctx.ip },
        });
      }
      return result;
    });
}
