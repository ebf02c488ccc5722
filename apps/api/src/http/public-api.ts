import { createHash } from "node:crypto";
import {
  authenticateApiToken,
  DomainError,
  exportFinishedCsv,
  nameRequestRoute,
  type SharedRateLimiter,
} from "@elsehu/core";
import type { Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { openApiDocument } from "../public-api/document";
import { API_BASE } from "../public-api/init";
import { publicApiRouter } from "../public-api/router";
import type { ApiDeps } from "../trpc/context";
import { mountApiDocs } from "./api-docs";
import type { BodyLimits } from "./body-limits";
import { exportStream } from "./export-stream";
import { type AppEnv, clientIp } from "./request-info";

export { API_BASE };

const MEDIA_ROUTE = `${API_BASE}/messages/media`;

const bearerOf = (h: string | undefined) => (h?.startsWith("Bearer ") ? h.slice(7).trim() : undefined);

/**
 * `RateLimit-*` on every answer (IETF draft: limit, remaining, seconds to reset),
 * counted per token (its hash; per address without one) on the shared limiter.
 */
function apiRateLimit(limiter: SharedRateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bearer = bearerOf(c.req.header("authorization"));
    const key = bearer
      ? `api:${createHash("sha256").update(bearer).digest("hex").slice(0, 32)}`
      : `api-ip:${clientIp(c)}`;
    const r = limiter.hit(key);
    const headers = {
      "RateLimit-Limit": String(r.limit),
      "RateLimit-Remaining": String(r.remaining),
      "RateLimit-Reset": String(r.resetSeconds),
      "RateLimit-Policy": `${r.limit};w=60`,
    };
    if (!r.allowed) {
      return c.json({ message: "Too many requests", reason: "RATE_LIMITED", code: "TOO_MANY_REQUESTS" }, 429, {
        ...headers,
        "Retry-After": String(r.retryAfterSeconds),
      });
    }
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  };
}

/**
 * `/api/v1` (REST, from `public-api/router.ts`), its OpenAPI document at
 * `/api/v1/openapi.json`, the finished-conversations CSV, and the docs page at `/api/docs`.
 */
export function mountPublicApi(
  app: Hono<AppEnv>,
  deps: ApiDeps,
  opts: { limiter: SharedRateLimiter; limits: BodyLimits; stallMs: number },
) {
  let document: unknown;
  app.get(`${API_BASE}/openapi.json`, (c) => {
    document ??= openApiDocument(API_BASE);
    return c.json(document);
  });
  mountApiDocs(app, `${API_BASE}/openapi.json`);

  // One fixed span name for whatever no route matches (a procedure or the CSV route names its own).
  app.use(`${API_BASE}/*`, (c, next) => {
    nameRequestRoute(c.req.method, `${API_BASE}/*`);
    return next();
  });
  app.use(`${API_BASE}/*`, apiRateLimit(opts.limiter));
  const tooLarge = (l: { maxBytes: number; message: string }) =>
    bodyLimit({
      maxSize: l.maxBytes,
      onError: (c) => c.json({ message: l.message, reason: "PAYLOAD_TOO_LARGE", code: "PAYLOAD_TOO_LARGE" }, 413),
    });
  const json = tooLarge(opts.limits.json);
  const upload = tooLarge(opts.limits.upload);
  app.use(`${API_BASE}/*`, (c, next) => (c.req.path === MEDIA_ROUTE ? upload : json)(c, next));

  app.get(`${API_BASE}/reports/finished.csv`, async (c) => {
    nameRequestRoute("GET", `${API_BASE}/reports/finished.csv`);
    try {
      const caller = await authenticateApiToken(deps.core, bearerOf(c.req.header("authorization")), clientIp(c));
      if (!caller.token.scopes.includes("reports:read")) {
        throw new DomainError("API_SCOPE_MISSING", "This token lacks the reports:read scope", {
          scope: "reports:read",
        });
      }
      const q = c.req.query();
      const chunks = exportFinishedCsv(deps.core, caller.actor, {
        from: q.from ?? "",
        to: q.to ?? "",
        operatorId: q.operatorId || undefined,
        tabulationId: q.tabulationId || undefined,
        instanceId: q.instanceId || undefined,
        tag: q.tag || undefined,
        excel: q.excel === "1" || q.excel === "true",
      });
      // The first chunk before answering: bad input or a forbidden filter is a clean 4xx, not a broken stream.
      const first = await chunks.next();
      const body = exportStream(chunks, first, { stallMs: opts.stallMs, log: c.get("log"), outgoing: c.env?.outgoing });
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="conversas-${q.from}-a-${q.to}.csv"`,
        "cache-control": "no-store",
      });
    } catch (err) {
      if (err instanceof DomainError) return c.json(domainErrorBody(err), STATUS[err.code]);
      throw err;
    }
  });

  app.all(`${API_BASE}/*`, (c) =>
    createOpenApiFetchHandler({
      endpoint: API_BASE,
      router: publicApiRouter,
      req: c.req.raw,
      createContext: ({ res }: { res: { setHeader(name: string, value: string): void } }) => ({
        core: deps.core,
        bearer: bearerOf(c.req.header("authorization")),
        ip: clientIp(c),
        idempotencyKey: c.req.header("idempotency-key"),
        resHeaders: { set: (name: string, value: string) => res.setHeader(name, value) },
      }),
    } as never),
  );
}

const STATUS = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  CONFLICT: 409,
  VALIDATION: 400,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  PROVIDER_UNAVAILABLE: 503,
} as const;

function domainErrorBody(err: DomainError) {
  return { message: err.message, reason: err.reason, details: err.details, code: err.code };
}
