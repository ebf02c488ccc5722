import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectBytes, EvolutionAdapter, MetaAdapter, ProviderError } from "../src";

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.startsWith("/v23.0/")) {
      const id = url.pathname.split("/")[2] ?? "";
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: `${base}/file/${id}`, mime_type: "image/jpeg", id }));
    } else if (url.pathname === "/file/loop") {
      res.writeHead(302, { location: "/file/loop" }).end();
    } else if (url.pathname === "/file/hop") {
      res.writeHead(302, { location: "/file/ok" }).end();
    } else if (url.pathname === "/file/ok") {
      res.writeHead(200, { "content-type": "image/jpeg" }).end(Buffer.from("jpeg"));
    } else if (url.pathname === "/file/endless") {
      // No Content-Length: only counting the stream can stop it.
      res.writeHead(200, { "content-type": "image/jpeg" });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (res.write(chunk)) {}
        res.once("drain", pump);
      };
      pump();
      req.on("close", () => res.destroy());
    } else if (url.pathname === "/file/slow") {
      res.writeHead(200, { "content-type": "image/jpeg" });
      res.write("j");
      req.on("close", () => res.destroy());
    } else if (url.pathname.startsWith("/chat/getBase64FromMediaMessage/")) {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ base64: Buffer.alloc(600 * 1024).toString("base64"), mimetype: "image/webp" }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const meta = () => new MetaAdapter({ phoneNumberId: "1", accessToken: "t", appSecret: "s", baseUrl: base });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ProviderError,
  );

describe("media downloads are bounded", () => {
  it("follows a redirect, and refuses a redirect loop past the limit without retrying it", async () => {
    const ok = await meta().fetchMedia("hop");
    expect(Buffer.from(await collectBytes(ok.body)).toString()).toBe("jpeg");
    const loop = await failure(meta().fetchMedia("loop", { maxRedirects: 3 }));
    expect(loop).toMatchObject({ code: "TOO_MANY_REDIRECTS", retryable: false });
  });

  it("stops a body without Content-Length as soon as it passes the kind's cap", async () => {
    const fetched = await meta().fetchMedia("endless", { maxBytes: 5 * 1024 * 1024 });
    const err = await failure(collectBytes(fetched.body));
    expect(err).toMatchObject({ code: "MEDIA_TOO_LARGE", retryable: false });
  });

  it("gives up on a download that stalls, as a retryable timeout", async () => {
    const fetched = await meta().fetchMedia("slow", { timeoutMs: 300 });
    const err = await failure(collectBytes(fetched.body));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: "TIMEOUT", retryable: true });
  });

  it("caps Evolution's base64 answer by the decoded size", async () => {
    const evolution = new EvolutionAdapter({ baseUrl: base, apiKey: "k", instanceName: "i" });
    const err = await failure(evolution.fetchMedia("ABC", { maxBytes: 500 * 1024 }));
    expect(err).toMatchObject({ code: "MEDIA_TOO_LARGE" });
  });
});
