import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { AppEnv } from "./request-info";

/** Paths that belong to the API: never answered with the console's index.html. */
const API_PREFIXES = [
  "/api",
  "/trpc",
  "/webhooks",
  "/uploads",
  "/media",
  "/reports",
  "/imports",
  "/exports",
  "/metrics",
];

/**
 * The console's Content-Security-Policy: scripts, styles, fonts and API calls
 * (HTTP and the WebSocket: CSP3 'self' covers ws/wss to the same host) from
 * our origin only, images also as data: (QR codes) and blob:, no plugins, no
 * framing (clickjacking), no <base> or form posts elsewhere. React's style
 * props go through CSSOM, which style-src does not restrict.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Serves the built console (apps/web/dist): hashed assets cached for a year,
 * index.html never cached (so a deploy is picked up at the next navigation),
 * precompressed .gz files when the build wrote them, and index.html for any
 * other GET that looks like a page (no file extension, not an API path), so
 * deep links such as /admin/usuarios work after a reload. Every console
 * response carries CONSOLE_CSP.
 * Returns false when there is no build to serve.
 */
export function serveWebApp(app: Hono<AppEnv>, webDist: string): boolean {
  const dist = resolve(webDist);
  const index = resolve(dist, "index.html");
  if (!existsSync(index)) return false;

  app.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("cache-control", "public, max-age=31536000, immutable");
  });
  app.use("/*", async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    await next();
    c.header("content-security-policy", CONSOLE_CSP);
    c.header("x-frame-options", "DENY");
  });
  app.use("/*", async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    return serveStatic({ root: dist, precompressed: true })(c, next);
  });
  app.get("*", async (c, next) => {
    const path = c.req.path;
    if (isApiPath(path) || /\.[a-z0-9]+$/i.test(path)) return next();
    c.header("cache-control", "no-cache");
    return serveStatic({ path: index, precompressed: true })(c, next);
  });
  return true;
}
