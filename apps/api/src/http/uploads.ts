import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { type Actor, createContactImport, DomainError, errorReportCsv, storageOf, TooLargeError } from "@elsehu/core";
import busboy from "busboy";
import type { Context, Hono } from "hono";
import type { ApiDeps } from "../trpc/context";
import { type AppEnv, tokenFromRequest } from "./request-info";
import { CROSS_SITE_BODY, crossSiteWrite } from "./same-origin";

/** Allowance for multipart boundaries and part headers over the file size limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Signed-in staff only (SUPERVISOR, ADMIN); cookie-authenticated writes must come from our own origin. */
async function staff(c: Context<AppEnv>, deps: ApiDeps, write: boolean): Promise<Actor | Response> {
  const token = tokenFromRequest(c);
  const result = token && token.length < 200 ? await deps.core.auth.validateSession(token) : null;
  if (!result?.user) return c.json({ error: "Sign in first" }, 401);
  if (write && crossSiteWrite(c, deps.allowedOrigins)) return c.json(CROSS_SITE_BODY, 403);
  const u = result.user;
  if (u.role !== "ADMIN" && u.role !== "SUPERVISOR") return c.json({ error: "Your role cannot do this" }, 403);
  return { id: u.id, role: u.role, name: u.name };
}

/** The first file part of a multipart body, as a stream, without buffering the body. */
function firstFilePart(body: Readable, contentType: string, maxBytes: number) {
  return new Promise<{ file: Readable; fileName: string }>((resolve, reject) => {
    const bb = busboy({ headers: { "content-type": contentType }, limits: { files: 1, fileSize: maxBytes + 1 } });
    bb.on("file", (_field, file, info) => resolve({ file, fileName: info.filename || "contatos.csv" }));
    bb.on("error", reject);
    bb.on("close", () => reject(new DomainError("FILE_REQUIRED", "file: the multipart body has no file part")));
    body.pipe(bb);
  });
}

/**
 * `POST /uploads/contacts-csv`: the CSV as raw body (`?name=` gives its name)
 * or as the file part of a multipart form. Streamed to storage, refused with 413
 * by Content-Length before reading, or as soon as the stream passes the limit.
 * Answers the PENDING import to start with `contacts.import`.
 * `GET /imports/:id/errors.csv`: the import's error report, staff only.
 */
export function mountUploads(app: Hono<AppEnv>, deps: ApiDeps, opts: { uploadLimitMb: number }) {
  const maxBytes = opts.uploadLimitMb * 1024 * 1024;
  const tooLarge = (c: Context<AppEnv>) =>
    c.json({ error: `file is larger than ${opts.uploadLimitMb} MB` }, 413, { connection: "close" });

  app.post("/uploads/contacts-csv", async (c) => {
    const actor = await staff(c, deps, true);
    if (actor instanceof Response) return actor;
    const contentType = c.req.header("content-type") ?? "";
    const multipart = contentType.startsWith("multipart/form-data");
    const declared = Number(c.req.header("content-length") ?? Number.NaN);
    if (declared > maxBytes + (multipart ? MULTIPART_OVERHEAD : 0)) return tooLarge(c);
    const raw = c.req.raw.body;
    if (!raw) return c.json({ error: "file: the request has no body" }, 400);
    const body = Readable.fromWeb(raw as WebReadableStream<Uint8Array>);
    try {
      const part = multipart
        ? await firstFilePart(body, contentType, maxBytes)
        : { file: body, fileName: c.req.query("name") ?? "contatos.csv" };
      const stored = await storageOf(deps.core).put(part.file, { prefix: "imports", maxBytes });
      if (stored.size === 0) {
        await storageOf(deps.core).remove(stored.key);
        return c.json({ error: "file: the file is empty" }, 400);
      }
      const row = await createContactImport(deps.core, actor, { fileKey: stored.key, fileName: part.fileName });
      return c.json({ importId: row.id, fileName: row.fileName, size: stored.size }, 201);
    } catch (err) {
      if (err instanceof TooLargeError) return tooLarge(c);
      if (err instanceof DomainError) return c.json({ error: err.message, reason: err.reason }, 400);
      throw err;
    }
  });

  app.get("/imports/:id/errors.csv", async (c) => {
    const actor = await staff(c, deps, false);
    if (actor instanceof Response) return actor;
    const id = c.req.param("id");
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      return c.json({ error: "id: not a valid import id" }, 400);
    }
    const chunks = errorReportCsv(deps.core, id);
    // Read the first chunk before answering, so an unknown import is a 404 and not a broken download.
    const first = await chunks.next().catch((err: unknown) => err);
    if (first instanceof DomainError && first.code === "NOT_FOUND") return c.json({ error: "Import not found" }, 404);
    if (first instanceof Error) throw first;
    const head = first as IteratorResult<string>;
    async function* all() {
      if (!head.done) yield head.value;
      yield* chunks;
    }
    const stream = Readable.toWeb(Readable.from(all())) as unknown as ReadableStream;
    return c.body(stream, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${id}-errors.csv"`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
  });
}
