import type { ServerResponse } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { Logger } from "pino";
import { COOKIE_NAME, readCookie } from "../trpc/context";

export type AppEnv = {
  /** Set by @hono/node-server; absent when the app is called without it (app.request in tests). */
  Bindings: { outgoing?: ServerResponse } | undefined;
  Variables: { trustProxy: boolean; log: Logger; requestId: string };
};

/** The peer address. X-Forwarded-For is trusted only when TRUST_PROXY is set (see env). */
export function clientIp(c: Context<AppEnv>): string {
  if (c.get("trustProxy")) {
    const fwd = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (fwd) return fwd;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function tokenFromRequest(c: Context<AppEnv>): string | undefined {
  const auth = c.req.header("authorization");
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  return readCookie(c.req.header("cookie"), COOKIE_NAME);
}

export function authVia(c: Context<AppEnv>): "bearer" | "cookie" | null {
  if (c.req.header("authorization")?.startsWith("Bearer ")) return "bearer";
  return readCookie(c.req.header("cookie"), COOKIE_NAME) ? "cookie" : null;
}
