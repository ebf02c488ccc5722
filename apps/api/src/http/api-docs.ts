import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { Scalar } from "@scalar/hono-api-reference";
import type { Hono } from "hono";
import type { AppEnv } from "./request-info";

/** Where the docs page loads Scalar's script from: this server, never a CDN. */
export const DOCS_SCRIPT = "/api/docs/scalar.js";

/**
 * Scalar's single-file (UMD) standalone bundle, from the installed `@scalar/api-reference`
 * (its exports do not list the file: it sits beside the package's entry point, in dist/browser).
 */
function standalonePath(): string {
  const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
  return join(dirname(entry), "browser", "standalone.js");
}

/**
 * The docs page's own CSP (not the console's): its scripts are the local bundle and the
 * inline configuration, both carrying the page's nonce; nothing is loaded from elsewhere.
 * Styles stay inline-capable: the bundle's components set style attributes.
 */
export function docsCsp(nonce: string) {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The bundle (about 5 MB) read and gzipped once, on the first request for it. */
function bundleLoader() {
  let raw: Buffer | undefined;
  let gzip: Buffer | undefined;
  return (acceptsGzip: boolean) => {
    raw ??= readFileSync(standalonePath());
    if (!acceptsGzip) return { body: raw, encoding: undefined };
    gzip ??= gzipSync(raw);
    return { body: gzip, encoding: "gzip" };
  };
}

/** The browsable API reference at `/api/docs` (Scalar), served wholly by this server. */
export function mountApiDocs(app: Hono<AppEnv>, documentUrl: string) {
  const bundle = bundleLoader();
  app.get(DOCS_SCRIPT, (c) => {
    const { body, encoding } = bundle(/\bgzip\b/.test(c.req.header("accept-encoding") ?? ""));
    const headers: Record<string, string> = {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=3600",
      "x-content-type-options": "nosniff",
      vary: "accept-encoding",
    };
    if (encoding) headers["content-encoding"] = encoding;
    return c.body(new Uint8Array(body), 200, headers);
  });
  app.get("/api/docs", async (c, next) => {
    const nonce = randomBytes(16).toString("base64");
    const page = Scalar({
      url: documentUrl,
      pageTitle: "Elsehu Atendimento API",
      nonce,
      cdn: DOCS_SCRIPT,
      withDefaultFonts: false,
      telemetry: false,
    } as never);
    const res = (await page(c as never, next)) as Response;
    res.headers.set("content-security-policy", docsCsp(nonce));
    res.headers.set("x-frame-options", "DENY");
    return res;
  });
}
