import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { isDatabaseUnavailable, isQueryTimeout } from "@elsehu/core";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { Logger } from "pino";
import type { AppEnv } from "./request-info";
import type { ProxyTrust } from "./trust-proxy";

/** The headers hono's secureHeaders() sets by default, with CORP same-origin. */
const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

/** SECURITY_HEADERS as a flat name, value, name, value... list (what writeHead takes). */
export const SECURITY_HEADER_LIST: readonly string[] = SECURITY_HEADERS.flat();

const REQUEST_ID = /^[\w\-=]{1,255}$/;

/** The client's X-Request-Id when well-formed, otherwise a fresh one. */
export function requestIdFor(given: string | undefined): string {
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Request id and security headers straight onto node's response (merged into whatever is answered). */
export function stampResponse(out: ServerResponse, reqId: string): void {
  out.setHeader("X-Request-Id", reqId);
  for (const [k, v] of SECURITY_HEADERS) out.setHeader(k, v);
}

/** The answer to an error nothing else handled: 503 while the database is unavailable, else 500 (logged). */
export function unexpectedError(err: unknown, log: Logger, requestId: string) {
  if (isDatabaseUnavailable(err)) {
    log.warn({ err }, "database unavailable");
    return {
      status: 503 as const,
      body: { error: "Banco de dados indisponível; tente novamente", reason: "DATABASE_UNAVAILABLE", requestId },
    };
  }
  if (isQueryTimeout(err)) {
    log.warn({ err, reqId: requestId }, "query timed out");
    return {
      status: 503 as const,
      body: { error: "The query took too long and was cancelled", reason: "QUERY_TIMEOUT", requestId },
    };
  }
  // The error's own words (SQL, parameters, stack) go to the log only; the client gets the id to quote.
  log.error({ err, reqId: requestId }, "unhandled error");
  return { status: 500 as const, body: { error: "Internal error", reason: "INTERNAL", requestId } };
}

/**
 * Request id, lazy per-request logger and security headers in one middleware.
 * Headers never go through `c.header()` before the handler: that makes hono
 * rebuild the handler's Response (and turn its string body into a stream) on
 * every request. No handler sets these headers itself.
 */
export function requestBase(opts: { log: Logger; trustProxy: ProxyTrust }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const reqId = requestIdFor(c.req.header("x-request-id"));
    c.set("requestId", reqId);
    c.set("trustProxy", opts.trustProxy);
    c.set("log", lazyChild(opts.log, reqId));
    const out = c.env?.outgoing;
    if (out) {
      // Straight onto node's response: merged into whatever the handler answers, far cheaper than a Headers object.
      stampResponse(out, reqId);
      await next();
      return;
    }
    await next();
    const h = c.res.headers;
    h.set("X-Request-Id", reqId);
    for (const [k, v] of SECURITY_HEADERS) h.set(k, v);
  };
}

/**
 * A child logger bound to the request id, built only if something logs: most
 * requests never do, and pino's child() serializes its bindings up front.
 */
function lazyChild(parent: Logger, reqId: string): Logger {
  let child: Logger | undefined;
  const get = () => {
    child ??= parent.child({ reqId });
    return child;
  };
  return new Proxy(parent, {
    get(_target, prop) {
      const c = get();
      const v: unknown = Reflect.get(c, prop, c);
      return typeof v === "function" ? v.bind(c) : v;
    },
  });
}

/**
 * CORS only for requests that carry an Origin (browsers on another origin);
 * others get just `Vary: Origin` so a shared cache keeps the two apart.
 */
export function corsWhenOrigin(allowed: string[]): MiddlewareHandler<AppEnv> {
  const withCors = cors({ origin: (o) => (allowed.includes(o) ? o : null), credentials: true, maxAge: 600 });
  return async (c, next) => {
    if (c.req.header("origin") !== undefined) return withCors(c, next);
    await next();
    c.res.headers.append("Vary", "Origin");
  };
}

/** Runs `mw` only for requests that may carry a body (GET and HEAD never do here). */
export function forBodies(mw: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return mw(c, next);
  };
}
