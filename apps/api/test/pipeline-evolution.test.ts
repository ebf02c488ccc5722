import { httpClient, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assign,
  EVO_SECRET,
  messageById,
  messageByProviderId,
  type Pipeline,
  startPipeline,
  until,
  untilMediaReady,
} from "./pipeline-helpers";

let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
let conversationId: string;
const CUSTOMER = "+5521998877665";

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR");
});
afterAll(async () => {
  await p.close();
});

const idle = () =>
  until(async () => {
    const [r] = await p.stack.core.sql`select count(*)::int as n from webhook_events where processed_at is null`;
    return r?.n === 0;
  });

describe("Evolution inbound", () => {
  it("records a customer's text with his phone JID and @lid identities", async () => {
    const status = await p.sim.injectInbound("EVOLUTION", {
      from: CUSTOMER,
      body: "Oi, tudo bem?",
      id: "EVOIN1",
      lid: "123456789012345@lid",
      name: "João",
    });
    expect(status).toBe(200);
    const message = await until(() => messageByProviderId(p.stack, "EVOIN1"));
    expect(message).toMatchObject({ direction: "IN", body: "Oi, tudo bem?" });
    conversationId = message.conversation_id;
    const ids = await p.stack.core.sql`select kind, external_id from contact_identities order by kind`;
    expect(ids.map((r) => r.kind)).toEqual(expect.arrayContaining(["jid", "lid"]));
    await until(async () => p.events.some((e) => e.kind === "message.created" && e.payload.messageId === message.id));
    // The same customer writing again (redelivery included) stays one conversation, one message per id.
    await p.sim.injectInbound("EVOLUTION", { from: CUSTOMER, body: "Oi, tudo bem?", id: "EVOIN1" });
    await idle();
    expect(await p.stack.core.sql`select id from messages where provider_message_id = 'EVOIN1'`).toHaveLength(1);
  });

  it("stores inbound media sent inline or fetched from Evolution", async () => {
    const bytes = Buffer.from("%PDF-1.4 fake");
    await p.sim.injectInbound("EVOLUTION", {
      from: CUSTOMER,
      type: "document",
      id: "EVODOC1",
      media: { mimeType: "application/pdf", fileName: "boleto.pdf", base64: bytes.toString("base64") },
    });
    const message = await untilMediaReady(p.stack, "EVODOC1");
    await assign(p.stack, conversationId, operator.user.id);
    const res = await fetch(`${p.stack.url}/media/${message.id}`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="boleto.pdf"/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it("refuses a wrong secret (401, nothing stored) and an unknown instance (404)", async () => {
    const body = JSON.stringify({ event: "messages.upsert", instance: "sim-instance", data: {} });
    const before = (await p.stack.core.sql`select count(*)::int as n from webhook_events`)[0]?.n;
    const wrong = await fetch(`${p.stack.url}/webhooks/evolution/${p.evolution.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-webhook-secret": "nope" },
      body,
    });
    expect(wrong.status).toBe(401);
    const unknown = await fetch(`${p.stack.url}/webhooks/evolution/00000000-0000-4000-8000-000000000000`, {
      method: "POST",
      headers: { "x-webhook-secret": EVO_SECRET },
      body,
    });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${p.stack.url}/webhooks/evolution/${p.evolution.id}`, {
      method: "POST",
      headers: { "x-webhook-secret": EVO_SECRET },
      body: "{oops",
    });
    expect(malformed.status).toBe(400);
    expect((await p.stack.core.sql`select count(*)::int as n from webhook_events`)[0]?.n).toBe(before);
  });
});

describe("Evolution outbound", () => {
  it("sends text, matches the send.message echo to the same row, and follows receipts to READ", async () => {
    const queued = await operator.client.messages.send.mutate({ conversationId, body: "Tudo ótimo, e você?" });
    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const sent = p.sim.sentMessages().find((m) => m.providerMessageId === providerId);
    expect(sent?.request).toEqual({ number: "5521998877665", text: "Tudo ótimo, e você?" });
    await p.sim.settled();
    await until(async () => (await messageById(p.stack, queued.id))?.status === "READ");
    await idle();
    // The echo (send.message, fromMe) did not become a second message.
    expect(await p.stack.core.sql`select id from messages where provider_message_id = ${providerId}`).toHaveLength(1);
  });

  it("sends a document as base64 with its file name", async () => {
    const form = new FormData();
    form.set("conversationId", conversationId);
    form.set("file", new File([Buffer.from("%PDF-1.4 contrato")], "contrato.pdf", { type: "application/pdf" }));
    const queued = await httpClient(p.stack.url, operator.token, { batch: false }).messages.sendMedia.mutate(form);
    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const request = p.sim.sentMessages().find((m) => m.providerMessageId === providerId)?.request as Record<
      string,
      unknown
    >;
    expect(request).toMatchObject({
      number: "5521998877665",
      mediatype: "document",
      fileName: "contrato.pdf",
      media: Buffer.from("%PDF-1.4 contrato").toString("base64"),
    });
    await p.sim.settled();
  });

  it("fails at once when the number is not on WhatsApp", async () => {
    p.sim.fail({ provider: "EVOLUTION", times: 1, kind: "not_on_whatsapp" });
    const queued = await operator.client.messages.send.mutate({ conversationId, body: "alguém aí?" });
    const row = await until(async () => {
      const r = await messageById(p.stack, queued.id);
      return r?.status === "FAILED" ? r : undefined;
    });
    expect(row.error_code).toBe("NOT_ON_WHATSAPP");
  });
});

describe("Evolution pairing", () => {
  it("keeps the connection status current from webhooks and publishes it", async () => {
    await fetch(`${p.sim.url}/_sim/connection`, { method: "POST", body: JSON.stringify({ state: "close" }) });
    await until(
      async () => (await p.admin.client.instances.get.query({ id: p.evolution.id })).connectionStatus === "close",
    );
    const connect = await p.admin.client.instances.connect.mutate({ id: p.evolution.id });
    expect(connect.qrCode).toMatch(/^data:image\/png;base64,/);
    await fetch(`${p.sim.url}/_sim/connection`, { method: "POST", body: JSON.stringify({ state: "open" }) });
    await until(
      async () => (await p.admin.client.instances.get.query({ id: p.evolution.id })).connectionStatus === "open",
    );
    expect((await p.admin.client.instances.get.query({ id: p.evolution.id })).qrCode).toBeNull();
    await until(async () =>
      p.events.some((e) => e.kind === "instance.status" && e.payload.connectionStatus === "open"),
    );
    expect((await p.admin.client.instances.connectionState.query({ id: p.evolution.id })).connectionStatus).toBe(
      "open",
    );
    await p.admin.client.instances.logout.mutate({ id: p.evolution.id });
    expect((await p.admin.client.instances.get.query({ id: p.evolution.id })).connectionStatus).toBe("close");
    await p.sim.settled();
  });
});
