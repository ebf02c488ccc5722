import type { IncomingMessage } from "node:http";

export type BodyLimit = { maxBytes: number; message: string };

/** The tRPC procedures that take a file (multipart), under the upload limit; every other call is JSON. */
const UPLOAD_PROCEDURES = new Set(["messages.sendMedia", "quickReplies.attach"]);

/** Request body limits of tRPC calls, shared by the direct path and the Hono fallback. */
export function bodyLimits(jsonKb: number, uploadMb: number) {
  const json: BodyLimit = { maxBytes: jsonKb * 1024, message: `Request body larger than ${jsonKb} KB` };
  const upload: BodyLimit = { maxBytes: uploadMb * 1024 * 1024, message: `File larger than ${uploadMb} MB` };
  return { json, upload, forProcedure: (path: string) => (UPLOAD_PROCEDURES.has(path) ? upload : json) };
}

export type BodyLimits = ReturnType<typeof bodyLimits>;

/**
 * The body as text, or null when it is larger than `maxBytes`: refused by
 * Content-Length before reading anything, or as soon as a chunked body
 * passes the limit. What was not read is discarded by `discardRest`.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && req.headers["transfer-encoding"] === undefined && Number(declared) > maxBytes) {
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: string | null) => {
      req.off("data", onData).off("end", onEnd).off("error", reject);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        done(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      // As Request.text() does: UTF-8, a leading byte order mark dropped.
      const text = Buffer.concat(chunks).toString("utf8");
      done(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    };
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

/**
 * After answering without reading the whole body: lets the client finish
 * sending (so it reads our answer rather than a reset), up to 64 MB or half a
 * second, then closes the connection. As @hono/node-server does for its routes.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return;
  let read = 0;
  const close = () => {
    clearTimeout(timer);
    req.off("data", onData);
    req.socket?.destroySoon();
  };
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > 64 * 1024 * 1024) close();
  };
  const timer = setTimeout(close, 500);
  timer.unref();
  req.on("data", onData);
  req.once("end", () => {
    clearTimeout(timer);
    req.off("data", onData);
  });
  req.resume();
}
