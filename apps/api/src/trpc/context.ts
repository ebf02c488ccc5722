import { randomUUID } from "node:crypto";
import { type CoreContext, isDatabaseUnavailable, type SessionUser } from "@elsehu/core";
import type { RateCheck } from "../http/rate-limit";
import type { RealtimeHub } from "../realtime/hub";
import type { SocketRegistry } from "../realtime/sockets";
import type { SubscriptionCounter } from "../realtime/subscription-cap";
import { databaseUnavailable } from "./db-unavailable";
import type { SessionCache } from "./session-cache";

export type ApiDeps = {
  core: CoreContext;
  hub: RealtimeHub;
  sockets: SocketRegistry;
  /** Live subscriptions per user on this process, capped (WS_MAX_SUBSCRIPTIONS_PER_USER). */
  subscriptions: SubscriptionCounter;
  /** validateSession behind a short-lived cache (see session-cache.ts for its consistency window). */
  sessionCache: SessionCache;
  secureCookie: boolean;
  allowedOrigins: string[];
  /** The per-user and per-address request limit; the HTTP edge and calls over WebSocket both count against it. */
  rateCheck: RateCheck;
};

/** Where login/logout put their Set-Cookie: a Fetch Headers (tRPC's adapter) or the direct path's list. */
export type ResponseHeaders = { append(name: string, value: string): void };

export type Context = ApiDeps & {
  user: SessionUser | null;
  session: { id: string; expiresAt: Date } | null;
  ip: string;
  userAgent: string | undefined;
  /** Calls over HTTP were counted by the edge; calls over a socket are counted per call (trpc/init.ts). */
  transport: "http" | "ws";
  /** Only on HTTP: lets login/logout set the session cookie. */
  resHeaders: ResponseHeaders | null;
  /** How the request proved who it is; cookie-authenticated mutations are checked for cross-site origin. */
  authVia: "cookie" | "bearer" | "ws" | null;
  origin: string | undefined;
  host: string | undefined;
  /** The request's X-Request-Id (one per socket over WebSocket): an internal error's answer carries it, as its log line does. */
  requestId: string;
};

export const COOKIE_NAME = "elsehu_session";

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/**
 * The one context builder behind HTTP, WebSocket and tests: resolves the
 * session token (bearer, cookie or connectionParams) to a user.
 */
export async function createContext(
  deps: ApiDeps,
  req: {
    token?: string;
    via: Context["authVia"];
    ip: string;
    userAgent?: string;
    resHeaders?: ResponseHeaders;
    origin?: string;
    host?: string;
    requestId?: string;
  },
): Promise<Context> {
  let user: SessionUser | null = null;
  let session: Context["session"] = null;
  if (req.token && req.token.length < 200) {
    const result = await deps.sessionCache.validate(req.token).catch((err: unknown) => {
      throw isDatabaseUnavailable(err) ? databaseUnavailable(err) : err;
    });
    if (result.session && result.user) {
      session = { id: result.session.id, expiresAt: result.session.expiresAt };
      const a = result.user;
      user = { id: a.id, name: a.name, email: a.email, role: a.role };
      if (result.session.fresh && req.via === "cookie" && req.resHeaders) {
        req.resHeaders.append("set-cookie", sessionCookie(deps, req.token));
      }
    }
  }
  return {
    ...deps,
    user,
    session,
    ip: req.ip,
    userAgent: req.userAgent,
    transport: req.via === "ws" ? "ws" : "http",
    resHeaders: req.resHeaders ?? null,
    authVia: user ? req.via : null,
    origin: req.origin,
    host: req.host,
    requestId: req.requestId ?? randomUUID(),
  };
}

export function sessionCookie(deps: Pick<ApiDeps, "secureCookie" | "core">, token: string): string {
  const maxAge = deps.core.config.sessionIdleTimeoutSeconds;
  const secure = deps.secureCookie ? "; Secure" : "";
  return `${COOKIE_NAME}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

export const clearedCookie = `${COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
