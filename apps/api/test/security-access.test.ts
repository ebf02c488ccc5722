import { randomUUID } from "node:crypto";
import {
  draftCampaign,
  metaInstance,
  orderTemplate,
  phones,
  type Stack,
  startStack,
  userWithToken,
} from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, insertMessage, makeContact, makeInstance } from "./conversation-fixtures";

/**
 * Guessed and enumerated ids never cross operators, and files are served so a
 * browser can only download them. (Cross-site cookie mutations are refused in
 * auth-login.test.ts: "refuses a cookie-authenticated mutation from a foreign origin".)
 */
let stack: Stack;
let opA: Awaited<ReturnType<typeof userWithToken>>;
let opB: Awaited<ReturnType<typeof userWithToken>>;
let admin: Awaited<ReturnType<typeof userWithToken>>;
let convB = "";
let campaignId = "";

beforeAll(async () => {
  stack = await startStack({ worker: false });
  opA = await userWithToken(stack, "OPERATOR");
  opB = await userWithToken(stack, "OPERATOR");
  admin = await userWithToken(stack, "ADMIN");
  const instance = await makeInstance(stack.core);
  const contact = await makeContact(stack.core, "Cliente de B");
  const { conversation } = await arrive(stack.core, contact.id, instance.id);
  await stack.core.sql`update conversations set status = 'OPEN', operator_id = ${opB.user.id}, assigned_at = now()
    where id = ${conversation.id}`;
  await insertMessage(stack.core, conversation, { body: "segredo do cliente de B" });
  convB = conversation.id;
  const actor = { id: admin.user.id, role: "ADMIN" as const, name: admin.user.name };
  const meta = await metaInstance(stack.core, "http://127.0.0.1:9");
  const template = await orderTemplate(stack.core, actor);
  campaignId = (
    await draftCampaign(stack.core, actor, {
      instanceId: meta.id,
      templateId: template.id,
      recipients: phones(2, 9_100_000),
    })
  ).id;
});
afterAll(async () => {
  await stack?.close();
});

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "OK";
  } catch (err) {
    return (err as { data?: { code?: string } }).data?.code ?? "ERROR";
  }
};

describe("no access across operators", () => {
  it("operator A gets nothing of B's conversation by its real id, nor by any guessed id", async () => {
    expect(await codeOf(opA.client.conversations.get.query({ id: convB }))).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect(await codeOf(opA.client.messages.list.query({ conversationId: convB }))).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect(await codeOf(opA.client.conversations.markRead.mutate({ id: convB }))).toMatch(/NOT_FOUND|FORBIDDEN/);
    expect(await codeOf(opA.client.conversations.close.mutate({ id: convB, tabulationId: randomUUID() }))).toMatch(
      /NOT_FOUND|FORBIDDEN|BAD_REQUEST/,
    );
    // Enumeration: random ids answer like a missing one, never with data.
    for (let i = 0; i < 20; i++) {
      expect(await codeOf(opA.client.conversations.get.query({ id: randomUUID() }))).toMatch(/NOT_FOUND|FORBIDDEN/);
    }
    const listed = await opA.client.conversations.list.query({});
    expect(JSON.stringify(listed)).not.toContain(convB);
    // B himself sees it: the refusals above are isolation, not a broken fixture.
    expect((await opB.client.conversations.get.query({ id: convB })).id).toBe(convB);
  });

  it("file downloads: an operator cannot export another operator's report nor any campaign results", async () => {
    const day = new Date().toISOString().slice(0, 10);
    const report = (token: string, operatorId: string) =>
      fetch(`${stack.url}/reports/finished.csv?from=${day}&to=${day}&operatorId=${operatorId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await report(opA.token, opB.user.id)).status).toBe(403);
    expect((await report(opA.token, opA.user.id)).status).toBe(200);
    const results = (token: string, id: string) =>
      fetch(`${stack.url}/campaigns/${id}/results.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect((await results(opA.token, campaignId)).status).toBe(403);
    expect((await results(opA.token, randomUUID())).status).toBe(403);
    expect((await results("guessed-token", campaignId)).status).toBe(401);
  });

  it("downloads are served as attachments with a safe content type and nosniff", async () => {
    const day = new Date().toISOString().slice(0, 10);
    for (const url of [`/campaigns/${campaignId}/results.csv`, `/reports/finished.csv?from=${day}&to=${day}`]) {
      const res = await fetch(`${stack.url}${url}`, { headers: { authorization: `Bearer ${admin.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="[^"/\\]+\.csv"$/);
      await res.arrayBuffer();
    }
  });
});
