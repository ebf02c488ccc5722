import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { AppEnv } from "./request-info";

/** Paths that belong to the API: never answered with the console's index.html. */
const API_PREFIXES = ["/trpc", "/webhooks", "/uploads", "/media", "/reports", "/imports", "/exports", "/metrics"];

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Serves the built console (apps/web/dist): hashed assets cached for a year,
 * index.html never cached (so a deploy is picked up at the next navigation),
 * precompressed .gz files when the build wrote them, and index.html for any
 * other GET that looks like a page (no file extension, not an API path), so
 * deep links such as /admin/usuarios work after a reload.
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
