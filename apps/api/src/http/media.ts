import { Readable } from "node:stream";
import { DomainError, openMessageMedia } from "@elsehu/core";
import type { Hono } from "hono";
import type { ApiDeps } from "../trpc/context";
import { type AppEnv, tokenFromRequest } from "./request-info";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Shown inline in the chat: raster images, audio and video only. Anything else a
 * customer sends (HTML, SVG — an "image" that runs scripts —, PDF...) is an attachment.
 */
const INLINE = /^(image\/(jpeg|png|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+)$/i;
/** The file is never a page of ours: no script, no subresource, sandboxed even if opened directly. */
const MEDIA_CSP = "default-src 'none'; sandbox";

/** RFC 6266 filename: ASCII fallback plus UTF-8 form. */
function disposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** GET /media/:messageId — a message's stored file, with the conversation isolation rules. */
export function registerMedia(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get("/media/:messageId", async (c) => {
    const token = tokenFromRequest(c);
    const session = token ? await deps.core.auth.validateSession(token) : null;
    if (!session?.user) return c.json({ error: "Sign in first" }, 401);
    const id = c.req.param("messageId");
    if (!UUID.test(id)) return c.json({ error: "messageId: not a valid id" }, 400);
    const u = session.user;
    try {
      const file = await openMessageMedia(deps.core, { id: u.id, role: u.role, name: u.name }, id);
      const inline = INLINE.test(file.mimeType);
      return new Response(Readable.toWeb(file.stream) as ReadableStream, {
        headers: {
          "content-type": file.mimeType,
          "content-length": String(file.size),
          "x-content-type-options": "nosniff",
          "content-security-policy": MEDIA_CSP,
          "content-disposition": disposition(inline ? "inline" : "attachment", file.fileName ?? "file"),
          "cache-control": "private, max-age=3600",
        },
      });
    } catch (err) {
      if (err instanceof DomainError && err.code === "FORBIDDEN")
        return c.json({ error: err.message, reason: err.reason }, 403);
      if (err instanceof DomainError && err.code === "NOT_FOUND")
        return c.json({ error: err.message, reason: err.reason }, 404);
      throw err;
    }
  });
}
