import type { Context } from "hono";
import { type AppEnv, authVia } from "./request-info";

/** The console's own origin (same host) or one listed in CORS_ORIGINS; a malformed Origin is neither. */
export function originAllowed(origin: string, host: string | undefined, allowedOrigins: string[]): boolean {
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A write authenticated by the session cookie from another site's page (or
 * with no Origin at all): browsers send our cookie on cross-site form posts,
 * so such a request is refused (CSRF). Bearer-token calls carry no ambient
 * credential and are not checked.
 */
export function crossSiteWrite(c: Context<AppEnv>, allowedOrigins: string[]): boolean {
  if (authVia(c) !== "cookie") return false;
  const origin = c.req.header("origin");
  return !origin || !originAllowed(origin, c.req.header("host"), allowedOrigins);
}

export const CROSS_SITE_BODY = { error: "Cross-site request refused", reason: "CROSS_SITE_REFUSED" } as const;
