import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageByProviderId, type Pipeline, startPipeline, until, untilMediaReady } from "./pipeline-helpers";

/**
 * Security rows of docs/reliability.md for the message pipeline: media downloads
 * (who may fetch them, and headers that stop a customer's file from running in our
 * origin) and admin-supplied provider URLs (http(s) only).
 */

let p: Pipeline;
let owner: Awaited<ReturnType<typeof userWithToken>>;
const CUSTOMER = "+5511955554444";

beforeAll(async () => {
  p = await startPipeline();
  // An instance whose secrets no longer decrypt (key rotated) is loaded with the others by the webhook routes.
  await p.stack.core.sql`insert into service_instances (name, provider, secrets, meta_phone_number_id)
    values ('Chave antiga', 'META', 'v1.not.a.blob', '5550001112223')`;
  owner = await userWithToken(p.stack, "OPERATOR");
});
afterAll(async () => {
  await p.close();
});

/** A customer's file, received through the Meta webhook and stored; returns its message id. */
async function inboundFile(id: string, type: "image" | "document", mimeType: string, fileName: string, bytes: Buffer) {
  await p.sim.injectInbound("META", {
    from: CUSTOMER,
    type,
    id,
    media: { mimeType, fileName, base64: bytes.toString("base64") },
  });
  const message = await untilMediaReady(p.stack, id);
  await assign(p.stack, message.conversation_id, owner.user.id);
  return message.id;
}

const get = (messageId: string, token?: string) =>
  fetch(`${p.stack.url}/media/${messageId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("webhook intake", () => {
  it("keeps accepting webhooks while another instance's secrets cannot be decrypted", async () => {
    expect(await p.sim.injectInbound("META", { from: CUSTOMER, body: "oi", id: "wamid.SEC-KEY" })).toBe(200);
    await until(() => messageByProviderId(p.stack, "wamid.SEC-KEY"));
  });
});

describe("media downloads", () => {
  it("refuses another operator (403) and an anonymous caller (401)", async () => {
    const id = await inboundFile("wamid.SEC-PDF", "document", "application/pdf", "boleto.pdf", Buffer.from("%PDF-1.4"));
    const other = await userWithToken(p.stack, "OPERATOR");
    const theirs = await get(id, other.token);
    expect(theirs.status).toBe(403);
    expect(await theirs.text()).not.toContain("%PDF");
    expect((await get(id)).status).toBe(401);
    expect((await get(id, "not-a-session-token")).status).toBe(401);
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    expect((await get(id, supervisor.token)).status).toBe(200);
  });

  it("serves a document as an attachment with its type and nosniff", async () => {
    const id = await inboundFile(
      "wamid.SEC-DOC",
      "document",
      "application/pdf",
      "contrato final.pdf",
      Buffer.from("%PDF-1.7"),
    );
    const res = await get(id, owner.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="contrato final.pdf"/);
    expect(await res.text()).toBe("%PDF-1.7");
  });

  it("never serves a customer's HTML or SVG inline: attachment, sandboxed, so no script runs in our origin", async () => {
    const html = await inboundFile(
      "wamid.SEC-HTML",
      "document",
      "text/html",
      "pagina.html",
      Buffer.from("<script>fetch('/trpc/auth.me')</script>"),
    );
    const svg = await inboundFile(
      "wamid.SEC-SVG",
      "image",
      "image/svg+xml",
      "figura.svg",
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    );
    for (const id of [html, svg]) {
      const res = await get(id, owner.token);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
      expect(res.headers.get("content-security-policy")).toMatch(/sandbox/);
      await res.arrayBuffer();
    }
    // A real photo still shows inline in the chat.
    const photo = await inboundFile("wamid.SEC-JPG", "image", "image/jpeg", "foto.jpg", Buffer.from("jpeg"));
    const res = await get(photo, owner.token);
    expect(res.headers.get("content-disposition")).toMatch(/^inline;/);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
  });
});

describe("admin-supplied provider URLs", () => {
  const meta = (baseUrl: string) => ({
    provider: "META" as const,
    name: "Meta url",
    config: { phoneNumberId: String(Date.now()), baseUrl },
    secrets: { accessToken: "EAAG-url-token-1", appSecret: "app-secret-url", verifyToken: "verify-url-1" },
  });
  const evolution = (baseUrl: string) => ({
    provider: "EVOLUTION" as const,
    name: "Evolution url",
    config: { baseUrl, instanceName: "x" },
    secrets: { apiKey: "evo-api-key-url", webhookSecret: "webhook-secret-0123456789" },
  });

  it.each(["file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/x", "data:text/html,hi"])(
    "refuses %s with a 400 naming baseUrl, on create and update, and stores nothing",
    async (url) => {
      const before = await p.stack.core.sql<{ n: number }[]>`select count(*)::int as n from service_instances`;
      for (const input of [meta(url), evolution(url)]) {
        const err = (await p.admin.client.instances.create.mutate(input).catch((e: unknown) => e)) as {
          data?: { code?: string; httpStatus?: number };
          message: string;
        };
        expect(err.data?.code).toBe("BAD_REQUEST");
        expect(err.data?.httpStatus).toBe(400);
        expect(err.message).toMatch(/baseUrl/);
      }
      const upd = (await p.admin.client.instances.update
        .mutate({ id: p.evolution.id, config: { baseUrl: url, instanceName: "sim-instance" } })
        .catch((e: unknown) => e)) as { data?: { code?: string }; message: string };
      expect(upd.data?.code).toBe("BAD_REQUEST");
      expect(upd.message).toMatch(/baseUrl/);
      const after = await p.stack.core.sql<{ n: number }[]>`select count(*)::int as n from service_instances`;
      expect(after[0]?.n).toBe(before[0]?.n);
      const [row] = await p.stack.core.sql<{ base: string }[]>`
      select config->>'baseUrl' as base from service_instances where id = ${p.evolution.id}`;
      expect(row?.base).toBe(p.sim.url);
    },
  );
});
