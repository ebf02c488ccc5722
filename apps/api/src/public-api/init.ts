import {
  type ApiCaller,
  type ApiScope,
  authenticateApiToken,
  type CoreContext,
  DomainError,
  recordAudit,
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

/**
 * A call with a token holding `scope`. It acts as the token's owner (his role
 * and isolation rules still apply) and every write is audited as the token:
 * `api.<procedure>` with its id and name, whether it succeeded or not.
 */
export function scoped(scope: ApiScope) {
  return t.procedure.use(mapErrors).use(async ({ ctx, next, type, path }) => {
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
