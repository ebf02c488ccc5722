import { createHash } from "node:crypto";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";
import { api, apiToken } from "./public-api-helpers";

/**
 * The public REST API (`/api/v1`) end to end: an admin's token, a real API and
 * worker, the provider simulator receiving what the API sends.
 */
let p: Pipeline;
let conversationId: string;
const CUSTOMER = "+5511987650001";

beforeAll(async () => {
  p = await startPipeline();
  await p.sim.injectInbound("META", {
    from: CUSTOMER,
    body: "Oi, quero saber do pedido",
    id: "wamid.API-IN",
    name: "Ana",
  });
  conversationId = (await until(() => messageByProviderId(p.stack, "wamid.API-IN"))).conversation_id;
});
afterAll(async () => {
  await p.close();
});

describe("API tokens", () => {
  it("is shown once, stored as its SHA-256, lists its last use and stops working when revoked", async () => {
    const { token, apiToken: created } = await apiToken(p.admin, ["contacts:read"], "CRM");
    expect(token).toMatch(/^elsehu_/);
    const [row] = await p.stack.core.sql`select * from api_tokens where id = ${created.id}`;
    expect(row?.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await p.admin.client.apiTokens.list.query();
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed.find((t) => t.id === created.id)).toMatchObject({ name: "CRM", lastUsedAt: null, status: "ACTIVE" });

    expect((await api(p.stack, token, "GET", "/contacts")).status).toBe(200);
    const used = (await p.admin.client.apiTokens.list.query()).find((t) => t.id === created.id);
    expect(used?.lastUsedAt).toBeTruthy();

    await p.admin.client.apiTokens.revoke.mutate({ id: created.id });
    const refused = await api(p.stack, token, "GET", "/contacts");
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ reason: "API_TOKEN_INVALID" });
  });

  it("refuses a call outside the token's scopes, with no token, and with a made-up token", async () => {
    const { token } = await apiToken(p.admin, ["contacts:read"]);
    const noScope = await api(p.stack, token, "POST", "/messages/text", { conversationId, body: "oi" });
    expect(noScope.status).toBe(403);
    expect(noScope.body).toMatchObject({ reason: "API_SCOPE_MISSING", details: { scope: "messages:send" } });
    expect((await api(p.stack, undefined, "GET", "/contacts")).body).toMatchObject({ reason: "API_TOKEN_INVALID" });
    expect((await api(p.stack, "elsehu_forged", "GET", "/contacts")).status).toBe(401);
    const [n] = await p.stack.core.sql`select count(*)::int as n from messages where direction = 'OUT'`;
    expect(n?.n).toBe(0);
  });

  it("only admins manage tokens", async () => {
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    await expect(supervisor.client.apiTokens.list.query()).rejects.toMatchObject({
      data: { reason: "ROLE_FORBIDDEN" },
    });
  });
});

describe("sending messages", () => {
  it("sends a text in the 24-hour window to the customer through the provider, audited as the token", async () => {
    const { token, apiToken: created } = await apiToken(p.admin, ["messages:send"]);
    const sent = await api(p.stack, token, "POST", "/messages/text", { conversationId, body: "Seu pedido saiu" });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ conversationId, status: "QUEUED", type: "text" });
    await until(async () => p.sim.sentMessages().find((m) => JSON.stringify(m.request).includes("Seu pedido saiu")));
    const audit = await p.stack.core
      .sql`select action, actor_id, api_token_id from audit_log where api_token_id = ${created.id}`;
    expect(audit).toEqual([{ action: "api.messages.sendText", actor_id: p.admin.user.id, api_token_id: created.id }]);
  });
});

const outboundCount = async () =>
  (await p.stack.core.sql`select count(*)::int as n from messages where direction = 'OUT'`)[0]?.n as number;

const greeting = () =>
  p.admin.client.templates.create.mutate({
    name: `Boas-vindas ${Math.random().toString(36).slice(2, 8)}`,
    body: "Olá {{1}}, tudo bem?",
    instanceId: p.meta.id,
    meta: {
      name: "boas_vindas",
      language: "pt_BR",
      components: [{ type: "body", parameters: [{ type: "text", text: "{{1}}" }] }],
    },
  });

describe("the 24-hour window and phone targets", () => {
  it("refuses text past the window with TEMPLATE_REQUIRED (412) and sends a template there", async () => {
    const { token } = await apiToken(p.admin, ["messages:send"]);
    await p.stack.core
      .sql`update conversations set last_inbound_at = now() - interval '25 hours' where id = ${conversationId}`;
    const before = await outboundCount();
    const refused = await api(p.stack, token, "POST", "/messages/text", { conversationId, body: "atrasado" });
    expect(refused.status).toBe(412);
    expect(refused.body).toMatchObject({ reason: "TEMPLATE_REQUIRED", code: "PRECONDITION_FAILED" });
    expect(await outboundCount()).toBe(before);
    const template = await greeting();
    const sent = await api(p.stack, token, "POST", "/messages/template", {
      conversationId,
      templateId: template.id,
      variables: { "1": "Ana" },
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ type: "template", status: "QUEUED" });
    await p.stack.core.sql`update conversations set last_inbound_at = now() where id = ${conversationId}`;
  });

  it("sends a template to a new phone (contact and conversation opened); text to a new phone changes nothing", async () => {
    const { token } = await apiToken(p.admin, ["messages:send"]);
    const phone = "+5511912340000";
    const text = await api(p.stack, token, "POST", "/messages/text", {
      to: { phone, instanceId: p.meta.id },
      body: "Oi",
    });
    expect(text.status).toBe(412);
    expect(text.body.reason).toBe("TEMPLATE_REQUIRED");
    expect(await p.stack.core.sql`select id from contacts where phone = ${phone}`).toHaveLength(0);

    const template = await greeting();
    const sent = await api(p.stack, token, "POST", "/messages/template", {
      to: { phone: "(11) 91234-0000", instanceId: p.meta.id },
      templateId: template.id,
      variables: { "1": "Bia" },
    });
    expect(sent.status).toBe(200);
    const [conversation] = await p.stack.core.sql`select c.status, ct.phone from conversations c
      join contacts ct on ct.id = c.contact_id where c.id = ${sent.body.conversationId}`;
    expect(conversation).toEqual({ status: "WAITING", phone });
    await until(async () => p.sim.sentMessages().find((m) => JSON.stringify(m.request).includes("5511912340000")));

    const both = await api(p.stack, token, "POST", "/messages/text", {
      conversationId,
      to: { phone, instanceId: p.meta.id },
      body: "x",
    });
    expect(both.status).toBe(400);
    expect(both.body.reason).toBe("INVALID_INPUT");
  });

  it("sends an image given inline as base64, checked against the provider's limits", async () => {
    const { token } = await apiToken(p.admin, ["messages:send"]);
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    const sent = await api(p.stack, token, "POST", "/messages/media", {
      conversationId,
      fileName: "nota.png",
      mimeType: "image/png",
      caption: "Sua nota",
      data: png.toString("base64"),
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ type: "image", status: "QUEUED" });
    const refused = await api(p.stack, token, "POST", "/messages/media", {
      conversationId,
      fileName: "x.exe",
      mimeType: "application/x-msdownload",
      data: png.toString("base64"),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.reason).toBe("FILE_TYPE_REFUSED");
  });
});

describe("Idempotency-Key", () => {
  it("answers a retry with the first message and never sends twice, even when the retries race", async () => {
    const { token } = await apiToken(p.admin, ["messages:send"]);
    const before = await outboundCount();
    const body = { conversationId, body: "Pagamento confirmado" };
    const key = { "idempotency-key": "pedido-4521-pago" };
    const first = await api(p.stack, token, "POST", "/messages/text", body, key);
    const again = await api(p.stack, token, "POST", "/messages/text", body, key);
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const race = await Promise.all(
      Array.from({ length: 5 }, () =>
        api(p.stack, token, "POST", "/messages/text", body, { "idempotency-key": "corrida" }),
      ),
    );
    expect(race.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(race.map((r) => r.body.id)).size).toBe(1);
    expect(await outboundCount()).toBe(before + 2);

    const reused = await api(p.stack, token, "POST", "/messages/text", { conversationId, body: "outro" }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.reason).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await outboundCount()).toBe(before + 2);
  });
});

describe("contacts, conversations, campaigns and reports", () => {
  it("upserts a contact by phone in any format, reads it back and finds it", async () => {
    const { token } = await apiToken(p.admin, ["contacts:read", "contacts:write"]);
    const created = await api(p.stack, token, "PUT", "/contacts", {
      phone: "+55 11 97777-0001",
      name: "Carla",
      tags: ["vip"],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ created: true, contact: { phone: "+5511977770001", name: "Carla" } });
    const updated = await api(p.stack, token, "PUT", "/contacts", { phone: "11977770001", email: "carla@example.com" });
    expect(updated.body).toMatchObject({
      created: false,
      contact: { id: created.body.contact.id, name: "Carla", email: "carla@example.com" },
    });
    const got = await api(p.stack, token, "GET", `/contacts/${created.body.contact.id}`);
    expect(got.body).toMatchObject({ name: "Carla", tags: ["vip"] });
    const found = await api(p.stack, token, "GET", "/contacts?search=carla&limit=5");
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.contact.id]);
    const bad = await api(p.stack, token, "PUT", "/contacts", { phone: "abc" });
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe("PHONE_INVALID");
    expect((await api(p.stack, token, "GET", "/contacts/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("lists, reads, transfers and closes conversations", async () => {
    const { token } = await apiToken(p.admin, ["conversations:read", "conversations:write"]);
    const list = await api(p.stack, token, "GET", "/conversations?status=WAITING&limit=50");
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(conversationId);
    const one = await api(p.stack, token, "GET", `/conversations/${conversationId}`);
    expect(one.body).toMatchObject({ id: conversationId, contact: { phone: CUSTOMER } });
    const messages = await api(p.stack, token, "GET", `/conversations/${conversationId}/messages?limit=2`);
    expect(messages.body.items).toHaveLength(2);
    expect(messages.body.nextCursor).toBeTruthy();

    const operator = await userWithToken(p.stack, "OPERATOR");
    const moved = await api(p.stack, token, "POST", `/conversations/${conversationId}/transfer`, {
      operatorId: operator.user.id,
      force: true,
      note: "Cliente VIP",
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: "OPEN", operatorId: operator.user.id });
    const tabulation = await p.admin.client.tabulations.create.mutate({ name: "Resolvido pela API" });
    const closed = await api(p.stack, token, "POST", `/conversations/${conversationId}/close`, {
      tabulationId: tabulation.id,
    });
    expect(closed.body).toMatchObject({ id: conversationId, status: "CLOSED", tabulationId: tabulation.id });
    const again = await api(p.stack, token, "POST", `/conversations/${conversationId}/close`, {
      tabulationId: tabulation.id,
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
  });

  it("creates a campaign for tagged contacts, starts it and reads its counters", async () => {
    const { token } = await apiToken(p.admin, ["campaigns:write", "contacts:write"]);
    await api(p.stack, token, "PUT", "/contacts", { phone: "+5511966660001", name: "Davi", tags: ["black-friday"] });
    const template = await greeting();
    const created = await api(p.stack, token, "POST", "/campaigns", {
      name: "Black Friday",
      instanceId: p.meta.id,
      templateId: template.id,
      variableMapping: { "1": "contact:name" },
      audience: { kind: "contacts", tags: ["black-friday"] },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: "DRAFT", name: "Black Friday" });
    const started = await api(p.stack, token, "POST", `/campaigns/${created.body.id}/start`, {});
    expect(started.status).toBe(200);
    await until(async () => {
      const stats = await api(p.stack, token, "GET", `/campaigns/${created.body.id}/stats`);
      return stats.body.total === 1 && stats.body.sent === 1;
    });
  });

  it("answers the report summary and streams the finished conversations as CSV", async () => {
    const { token } = await apiToken(p.admin, ["reports:read"]);
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "America/Sao_Paulo" });
    const summary = await api(p.stack, token, "GET", `/reports/summary?from=${today}&to=${today}`);
    expect(summary.status).toBe(200);
    expect(summary.body.counts.closed).toBe(1);
    const csv = await fetch(`${p.stack.url}/api/v1/reports/finished.csv?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text).toContain(conversationId);
    const bad = await api(p.stack, token, "GET", `/reports/summary?from=${today}&to=2000-01-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe("INVALID_INPUT");
    const noScope = await apiToken(p.admin, ["contacts:read"]);
    const refused = await fetch(`${p.stack.url}/api/v1/reports/finished.csv?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${noScope.token}` },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ reason: "API_SCOPE_MISSING" });
  });
});

describe("errors and limits", () => {
  it("answers unknown routes and bad JSON with a reason, and every answer carries RateLimit headers", async () => {
    const { token } = await apiToken(p.admin, ["contacts:read"]);
    const unknown = await api(p.stack, token, "GET", "/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.body.reason).toBe("PROCEDURE_NOT_FOUND");
    const res = await fetch(`${p.stack.url}/api/v1/contacts`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ reason: "INVALID_INPUT" });
    const ok = await api(p.stack, token, "GET", "/contacts");
    expect(Number(ok.headers.get("ratelimit-limit"))).toBe(600);
    expect(Number(ok.headers.get("ratelimit-remaining"))).toBeLessThan(600);
    expect(Number(ok.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
  });
});
