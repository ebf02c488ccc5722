import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVO_INSTANCE, EVO_SECRET, type Pipeline, startPipeline } from "./pipeline-helpers";

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline({ worker: false });
});
afterAll(async () => {
  await p.close();
});

/**
 * A POST that declares `declared` bytes but sends only the first 64 KB, then
 * waits: only a server that answers before reading the body answers at all.
 */
function postWithoutBody(path: string, headers: Record<string, string>, declared: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    let answered = false;
    const req = request(`${p.stack.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(declared), ...headers },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.on("end", () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    req.write(Buffer.alloc(64 * 1024, 0x20));
  });
}

const webhookRows = async () => (await p.stack.core.sql`select count(*)::int as n from webhook_events`)[0]?.n;

describe("webhooks authenticate before reading a body", () => {
  it("answers an Evolution POST with a wrong secret (401) or an unknown instance (404) without reading its 50 MB", async () => {
    const before = await webhookRows();
    const wrong = await postWithoutBody(
      `/webhooks/evolution/${p.evolution.id}`,
      { "x-webhook-secret": "not-the-secret" },
      50 * 1024 * 1024,
    );
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toEqual({ error: "Invalid webhook secret" });
    const unknown = await postWithoutBody(
      "/webhooks/evolution/00000000-0000-4000-8000-000000000000",
      { "x-webhook-secret": EVO_SECRET },
      50 * 1024 * 1024,
    );
    expect(unknown.status).toBe(404);
    expect(await webhookRows()).toBe(before);
  });

  it("answers a Meta POST without a well-formed signature (401) without reading its body", async () => {
    const missing = await postWithoutBody("/webhooks/meta", {}, 2 * 1024 * 1024);
    expect(missing.status).toBe(401);
    const garbage = await postWithoutBody("/webhooks/meta", { "x-hub-signature-256": "sha256=zz" }, 2 * 1024 * 1024);
    expect(garbage.status).toBe(401);
  });

  it("refuses a Meta body over 3 MB before reading it, signature or not", async () => {
    const res = await postWithoutBody("/webhooks/meta", { "x-hub-signature-256": `sha256=${"a".repeat(64)}` }, 4e6);
    expect(res.status).toBe(413);
  });

  it("accepts a large Evolution body (inline media) once the instance and secret are known", async () => {
    const body = JSON.stringify({
      event: "presence.update",
      instance: EVO_INSTANCE,
      data: { id: "5511999990000@s.whatsapp.net", presences: {} },
      padding: "A".repeat(5 * 1024 * 1024),
    });
    const res = await fetch(`${p.stack.url}/webhooks/evolution/${p.evolution.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": EVO_SECRET },
      body,
    });
    expect(res.status).toBe(200);
    const over = await postWithoutBody(
      `/webhooks/evolution/${p.evolution.id}`,
      { "x-webhook-secret": EVO_SECRET },
      65 * 1024 * 1024,
    );
    expect(over.status).toBe(413);
  });
});
