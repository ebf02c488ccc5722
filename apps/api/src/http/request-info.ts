import type { ServerResponse } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { Logger } from "pino";
import { COOKIE_NAME, readCookie } from "../trpc/context";
import { clientAddress, type ProxyTrust } from "./trust-proxy";

export type AppEnv = {
  /** Set by @hono/node-server; absent when the app is called without it (app.request in tests). */
  Bindings: { outgoing?: ServerResponse } | undefined;
  Variables: { trustProxy: ProxyTrust; log: Logger; requestId: string };
};

/*
 * Each rule is written once over plain header values, so Hono routes and the
 * direct tRPC path (http/trpc-http.ts) read a request the same way.
 */

/** The client's address. X-Forwarded-For is read only as far as TRUST_PROXY allows (see trust-proxy.ts). */
export function peerIp(trust: ProxyTrust, forwardedFor: string | undefined, remote: string | undefined): string {
  return clientAddress(trust, forwardedFor, remote);
}

export function tokenFromHeaders(authorization: string | undefined, cookie: string | undefined): string | undefined {
  if (authorization?.startsWith("Bearer ")) return authorization.slice(7).trim();
  return readCookie(cookie, COOKIE_NAME);
}

export function authViaHeaders(
  authorization: string | undefined,
  cookie: string | undefined,
): "bearer" | "cookie" | null {
  if (authorization?.startsWith("Bearer ")) return "bearer";
  return readCookie(cookie, COOKIE_NAME) ? "cookie" : null;
}

export function clientIp(c: Context<AppEnv>): string {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    remote = undefined;
  }
  return peerIp(c.get("trustProxy"), c.req.header("x-forwarded-for"), remote);
}

export function tokenFromRequest(c: Context<AppEnv>): string | undefined {
  return tokenFromHeaders(c.req.header("authorization"), c.req.header("cookie"));
}

export function authVia(c: Context<AppEnv>): "bearer" | "cookie" | null {
  return authViaHeaders(c.req.header("authorization"), c.req.header("cookie"));
}
