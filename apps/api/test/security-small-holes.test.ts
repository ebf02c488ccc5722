import { randomUUID } from "node:crypto";
import type { Actor } from "@elsehu/core";
import { draftCampaign, metaInstance, orderTemplate, type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, makeContact, makeInstance } from "./conversation-fixtures";

/*
 * Issue 15, item 10: the smaller holes, each through the route a client uses.
 */
let stack: Stack;
let admin: Awaited<ReturnType<typeof userWithToken>>;
let adminActor: Actor;

beforeAll(async () => {
  stack = await startStack({ worker: false });
  admin = await userWithToken(stack, "ADMIN");
  adminActor = { id: admin.user.id, role: "ADMIN", name: admin.user.name };
});
afterAll(async () => {
  await stack?.close();
});

async function reasonOf(call: Promise<unknown>): Promise<string | undefined> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCClientError);
  return (err as { data?: { reason?: string } }).data?.reason;
}

describe("campaign CSV upload", () => {
  it("refuses a cookie-authenticated upload from another site (or with no Origin), like the other uploads", async () => {
    const inst = await metaInstance(stack.core, "http://127.0.0.1:9");
    const template = await orderTemplate(stack.core, adminActor);
    const campaign = await draftCampaign(stack.core, adminActor, {
      instanceId: inst.id,
      templateId: template.id,
      recipients: [],
    });
    const upload = (origin: string | null) =>
      fetch(`${stack.url}/uploads/campaign-csv?campaignId=${campaign.id}&fileName=lista.csv`, {
        method: "POST",
        headers: {
          cookie: `elsehu_session=${admin.token}`,
          "content-type": "text/csv",
          ...(origin ? { origin } : {}),
        },
        body: "telefone\n+5511970000001\n",
      });
    const recipients = async () =>
      (await stack.core.sql`select 1 from campaign_recipients where campaign_id = ${campaign.id}`).length;

    for (const origin of ["https://evil.example", null, "not a url"]) {
      const res = await upload(origin);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ reason: "CROSS_SITE_REFUSED" });
    }
    expect(await recipients()).toBe(0);

    const own = await upload(stack.url);
    expect(own.status).toBe(200);
    expect(await recipients()).toBe(1);
  });
});

describe("searches", () => {
  it("treat %, _ and \\ as the characters they are, in every search", async () => {
    for (const name of ["Desconto 10%", "Desconto 100", "frete_gratis", "frete gratis", "barra \\ invertida"]) {
      await admin.client.templates.create.mutate({ name, body: "Olá" });
    }
    const templates = async (search: string) =>
      (await admin.client.templates.list.query({ search })).map((t) => t.name).sort();
    expect(await templates("%")).toEqual(["Desconto 10%"]);
    expect(await templates("_")).toEqual(["frete_gratis"]);
    expect(await templates("\\")).toEqual(["barra \\ invertida"]);
    expect(await templates("10%")).toEqual(["Desconto 10%"]);

    for (const name of ["Ana 50% Silva", "Ana_Souza", "Ana Costa"]) {
      await admin.client.users.create.mutate({
        name,
        email: `${randomUUID().slice(0, 8)}@test.local`,
        password: "correct horse battery",
        role: "OPERATOR",
      });
    }
    const users = async (search: string) =>
      (await admin.client.users.list.query({ search })).items.map((u) => u.name).sort();
    expect(await users("%")).toEqual(["Ana 50% Silva"]);
    expect(await users("_")).toEqual(["Ana_Souza"]);

    const inst = await makeInstance(stack.core);
    for (const name of ["Bia 20% Lima", "Bia_Rocha", "Bia Nunes"]) {
      const contact = await admin.client.contacts.create.mutate({ name, phone: `+55119${Date.now() % 1e8}` });
      await arrive(stack.core, contact.id, inst.id);
      await new Promise((r) => setTimeout(r, 2));
    }
    const contacts = async (search: string) =>
      (await admin.client.contacts.list.query({ search })).items.map((c) => c.name).sort();
    expect(await contacts("%")).toEqual(["Bia 20% Lima"]);
    expect(await contacts("_")).toEqual(["Bia_Rocha"]);
    const conversations = async (search: string) =>
      (await admin.client.conversations.list.query({ search })).items.map((c) => c.contact.name).sort();
    expect(await conversations("%")).toEqual(["Bia 20% Lima"]);
    expect(await conversations("_")).toEqual(["Bia_Rocha"]);
  });
});

describe("CSV formula guard", () => {
  const NASTY = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"];

  it("neutralises cells starting with = + - @ TAB or CR in the reports export", async () => {
    const inst = await makeInstance(stack.core, "Loja CSV");
    for (const [i, name] of NASTY.entries()) {
      const contact = await makeContact(stack.core, name);
      await stack.core.sql`insert into conversations (contact_id, instance_id, status, created_at, queued_at, closed_at)
        values (${contact.id}, ${inst.id}, 'CLOSED', '2025-04-01T12:00:00Z', '2025-04-01T12:00:00Z',
          ${`2025-04-01T13:00:0${i}Z`})`;
    }
    const res = await fetch(`${stack.url}/reports/finished.csv?from=2025-04-01&to=2025-04-01&instanceId=${inst.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split("\r\n");
    const column = lines[0]?.split(",").indexOf("contact_name") ?? -1;
    const names = lines.slice(1, -1).map((line) => line.split(",")[column]);
    // A cell with a CR is quoted (it is a line break); every one starts with the ' that keeps it text.
    expect(names).toEqual(["'=1+1", "'+1+1", "'-1+1", "'@SUM(A1)", "'\t=1+1", `"'\r=1+1"`]);
  });

  it("neutralises them in the campaign results export too", async () => {
    const inst = await metaInstance(stack.core, "http://127.0.0.1:9");
    const template = await orderTemplate(stack.core, adminActor);
    const campaign = await draftCampaign(stack.core, adminActor, {
      instanceId: inst.id,
      templateId: template.id,
      recipients: NASTY.map((_, i) => `+55119700001${String(i).padStart(2, "0")}`),
    });
    // The failure reason is the provider's text: a provider (or whoever answers as one) writes it.
    const ids = await stack.core.sql<{ id: string }[]>`select id from campaign_recipients
      where campaign_id = ${campaign.id} order by id`;
    for (const [i, row] of ids.entries()) {
      await stack.core.sql`update campaign_recipients set status = 'FAILED', reason = ${NASTY[i] ?? ""}
        where id = ${row.id}`;
    }
    const res = await fetch(`${stack.url}/campaigns/${campaign.id}/results.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.status).toBe(200);
    const reasons = (await res.text())
      .split("\r\n")
      .slice(1, -1)
      .map((line) => line.split(",")[2]);
    expect(reasons).toEqual(["'=1+1", "'+1+1", "'-1+1", "'@SUM(A1)", "'\t=1+1", `"'\r=1+1"`]);
  });
});

describe("transfer", () => {
  it("checks the caller's right to the conversation before it looks at the target operator", async () => {
    const owner = await userWithToken(stack, "OPERATOR");
    const other = await userWithToken(stack, "OPERATOR");
    const offline = await userWithToken(stack, "OPERATOR");
    const online = await userWithToken(stack, "OPERATOR");
    await stack.core.sql`update users set presence = 'ONLINE' where id in (${owner.user.id}, ${online.user.id})`;
    const inst = await makeInstance(stack.core);
    const contact = await makeContact(stack.core);
    const conv = await arrive(stack.core, contact.id, inst.id);
    await stack.core.sql`update conversations set status = 'OPEN', operator_id = ${owner.user.id}, assigned_at = now()
      where id = ${conv.conversation.id}`;

    // Whatever the target (unknown, not an operator, offline, online, a department that does not exist), the
    // answer to someone who may not touch the conversation is the same.
    const targets = [
      { operatorId: randomUUID() },
      { operatorId: admin.user.id },
      { operatorId: offline.user.id },
      { operatorId: online.user.id },
      { operatorId: online.user.id, departmentId: randomUUID() },
    ];
    for (const target of targets) {
      expect(await reasonOf(other.client.conversations.transfer.mutate({ id: conv.conversation.id, ...target }))).toBe(
        "CONVERSATION_NOT_YOURS",
      );
    }
    const [row] = await stack.core.sql`select operator_id from conversations where id = ${conv.conversation.id}`;
    expect(row?.operator_id).toBe(owner.user.id);
    // The owner still gets the target's own refusal.
    expect(
      await reasonOf(
        owner.client.conversations.transfer.mutate({ id: conv.conversation.id, operatorId: offline.user.id }),
      ),
    ).toBe("OPERATOR_OFFLINE");
  });
});
