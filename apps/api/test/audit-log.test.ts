import { httpClient, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * The audit log through tRPC: each audited action, done the way a user does it,
 * shows up in `audit.list` with its actor and target; filters, period and
 * cursor pagination hold; only an admin reads it.
 */
let p: Pipeline;
let supervisor: Awaited<ReturnType<typeof userWithToken>>;
let operator: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  p = await startPipeline();
  supervisor = await userWithToken(p.stack, "SUPERVISOR", { name: "Supervisora Auditada" });
  operator = await userWithToken(p.stack, "OPERATOR", { name: "Operador Auditado", maxConcurrent: 5 });
});
afterAll(async () => {
  await p.close();
});

type Entry = Awaited<ReturnType<Pipeline["admin"]["client"]["audit"]["list"]["query"]>>["items"][number];

async function entries(filter: { actorId?: string; action?: string } = {}): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await p.admin.client.audit.list.query({ ...filter, cursor, limit: 100 });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

async function entry(action: string, targetId: string | null, actorId: string) {
  const found = (await entries({ action })).find((e) => e.targetId === targetId && e.actor?.id === actorId);
  if (!found) throw new Error(`no ${action} on ${targetId} by ${actorId}`);
  return found;
}

describe("audit log", () => {
  it("records logins, failed ones without the password", async () => {
    expect(await entry("auth.login", supervisor.user.id, supervisor.user.id)).toMatchObject({
      actor: { name: "Supervisora Auditada" },
      targetType: "user",
    });
    const wrong = "senha-errada-Zq81!";
    await expect(
      httpClient(p.stack.url).auth.login.mutate({ email: supervisor.email, password: wrong }),
    ).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    const failed = await entry("auth.login_failed", supervisor.user.id, supervisor.user.id);
    expect(failed.data).toMatchObject({ email: supervisor.email, reason: "INVALID_CREDENTIALS" });
    expect(typeof failed.data.ip).toBe("string");
    // An unknown account: recorded without an actor, with the address typed.
    await expect(
      httpClient(p.stack.url).auth.login.mutate({ email: "ninguem@test.local", password: wrong }),
    ).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    const unknown = (await entries({ action: "auth.login_failed" })).find((e) => e.data.email === "ninguem@test.local");
    expect(unknown?.actor).toBeNull();
    const [leak] = await p.stack.core.sql`select 1 from audit_log where data::text like ${`%${wrong}%`}`;
    expect(leak).toBeUndefined();
  });

  it("records contact create, update, export and erase by staff, with field names and never values", async () => {
    const c = await supervisor.client.contacts.create.mutate({ phone: "+55 21 99876-1200", name: "Maria Auditada" });
    await supervisor.client.contacts.update.mutate({ id: c.id, email: "maria@example.com" });
    await supervisor.client.contacts.exportData.mutate({ id: c.id });
    await p.admin.client.contacts.delete.mutate({ id: c.id });
    expect((await entry("contact.create", c.id, supervisor.user.id)).data).toEqual({ fields: ["name", "phone"] });
    expect((await entry("contact.update", c.id, supervisor.user.id)).data).toEqual({ fields: ["email"] });
    expect((await entry("contact.export", c.id, supervisor.user.id)).targetType).toBe("contact");
    expect((await entry("contact.erase", c.id, p.admin.user.id)).targetType).toBe("contact");
    const [values] = await p.stack.core.sql`
      select 1 from audit_log where data::text ilike '%maria%' or data::text like '%99876%'`;
    expect(values).toBeUndefined();
  });

  it("records a contacts import and a campaign list upload", async () => {
    const res = await fetch(`${p.stack.url}/uploads/contacts-csv?name=lista.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${supervisor.token}`, "content-type": "text/csv" },
      body: "nome;telefone\nJoana;+5521998761201\n",
    });
    const { importId } = (await res.json()) as { importId: string };
    await supervisor.client.contacts.import.mutate({ importId });
    await entry("contacts.import", importId, supervisor.user.id);

    const template = await p.admin.client.templates.create.mutate({
      name: "Aviso auditoria",
      body: "Olá, temos novidades.",
      meta: { name: "aviso_auditoria", language: "pt_BR", components: [] },
    });
    const campaign = await p.admin.client.campaigns.create.mutate({
      name: "Campanha auditada",
      instanceId: p.meta.id,
      templateId: template.id,
      audience: { kind: "csv" },
    });
    const upload = await fetch(`${p.stack.url}/uploads/campaign-csv?campaignId=${campaign.id}&fileName=l.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
      body: "telefone\n+5521998761202\n+5521998761202\n",
    });
    expect(upload.status).toBe(200);
    expect((await entry("campaign.import_csv", campaign.id, p.admin.user.id)).data).toMatchObject({
      imported: 1,
      invalid: 1,
    });
  });

  it("records transfers and reopens by staff", async () => {
    await p.sim.injectInbound("META", { from: "5521998761203", body: "quero ajuda" });
    const conv = await until(async () => {
      const [r] = await p.stack.core.sql<{ id: string }[]>`
        select c.id from conversations c join contacts k on k.id = c.contact_id where k.phone = '+5521998761203'`;
      return r;
    });
    await supervisor.client.conversations.transfer.mutate({ id: conv.id, operatorId: operator.user.id, force: true });
    expect((await entry("conversation.transfer", conv.id, supervisor.user.id)).data).toMatchObject({
      toOperatorId: operator.user.id,
    });
    const tab = await p.admin.client.tabulations.create.mutate({ name: "Resolvido auditoria" });
    await supervisor.client.conversations.close.mutate({ id: conv.id, tabulationId: tab.id });
    await supervisor.client.conversations.reopen.mutate({ id: conv.id });
    await entry("conversation.reopen", conv.id, supervisor.user.id);
  });

  it("records an Evolution number's connect and logout", async () => {
    await p.admin.client.instances.connect.mutate({ id: p.evolution.id });
    await p.admin.client.instances.logout.mutate({ id: p.evolution.id });
    await entry("instance.connect", p.evolution.id, p.admin.user.id);
    await entry("instance.logout", p.evolution.id, p.admin.user.id);
  });

  it("filters by actor, action and period, pages by cursor, and bounds the page", async () => {
    const mine = await entries({ actorId: supervisor.user.id });
    expect(mine.length).toBeGreaterThanOrEqual(8);
    expect(mine.every((e) => e.actor?.id === supervisor.user.id)).toBe(true);
    expect(new Set(mine.map((e) => e.action))).toEqual(
      new Set([
        "auth.login",
        "auth.login_failed",
        "contact.create",
        "contact.update",
        "contact.export",
        "contacts.import",
        "conversation.transfer",
        "conversation.reopen",
      ]),
    );
    // Pages of 3, newest first, every entry once.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await p.admin.client.audit.list.query({ actorId: supervisor.user.id, limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(mine.map((e) => e.id));
    expect(paged.map(Number)).toEqual([...paged.map(Number)].sort((a, b) => b - a));

    const future = new Date(Date.now() + 3600_000);
    expect((await p.admin.client.audit.list.query({ from: future })).items).toEqual([]);
    const past = new Date(Date.now() - 3600_000);
    expect((await p.admin.client.audit.list.query({ to: past })).items).toEqual([]);
    expect(
      (await p.admin.client.audit.list.query({ from: past, action: "contact.erase" })).items.length,
    ).toBeGreaterThan(0);
    await expect(p.admin.client.audit.list.query({ limit: 101 })).rejects.toMatchObject({
      data: { code: "BAD_REQUEST" },
    });
  });

  it("is read by admins only", async () => {
    for (const u of [operator, supervisor]) {
      await expect(u.client.audit.list.query({})).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    }
  });
});
