import { randomUUID } from "node:crypto";
import { applyCampaignStatus, handleOptOutKeyword } from "@elsehu/core";
import { parseMetaWebhook } from "@elsehu/providers";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { metaInstance, type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
let sim: Simulator;
let instanceId = "";
let admin: Awaited<ReturnType<typeof userWithToken>>;
let supervisor: Awaited<ReturnType<typeof userWithToken>>;
let operator: Awaited<ReturnType<typeof userWithToken>>;

/**
 * A status that outruns the dispatcher's record of its send is retried after 2 s, then 4 s: under a loaded CI
 * a campaign's last tick may take that long, which is not what these tests are about.
 */
async function until<T>(fn: () => Promise<T | undefined | false>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  stack = await startStack({
    worker: true,
    api: {
      // Stand-in for the pipeline's webhook route: statuses go through the campaign seam.
      mount: (app, deps) => {
        app.post("/test/meta-webhook", async (c) => {
          for (const batch of parseMetaWebhook(await c.req.json())) {
            for (const e of batch.events) {
              if (e.kind !== "status") continue;
              await applyCampaignStatus(deps.core, { instanceId, ...e });
            }
          }
          return c.text("ok");
        });
      },
    },
  });
  sim = await startSimulator({ meta: { webhookUrl: `${stack.url}/test/meta-webhook` }, statusDelayMs: 5 });
  instanceId = (await metaInstance(stack.core, sim.url)).id;
  admin = await userWithToken(stack, "ADMIN");
  supervisor = await userWithToken(stack, "SUPERVISOR");
  operator = await userWithToken(stack, "OPERATOR");
});
afterAll(async () => {
  await sim.close();
  await stack.close();
});

const upload = (campaignId: string, csv: string, token: string) =>
  fetch(`${stack.url}/uploads/campaign-csv?campaignId=${campaignId}&fileName=lista.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: csv,
  });

describe("templates and campaigns over the API", () => {
  let templateId = "";

  it("admins write templates, everyone previews them, and variable problems are named", async () => {
    const t = await admin.client.templates.create.mutate({
      name: "Pedido saiu",
      body: "Olá {{nome}}, seu pedido {{pedido}} saiu para entrega.",
      meta: {
        name: "pedido_saiu",
        language: "pt_BR",
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", parameter_name: "nome", text: "{{nome}}" },
              { type: "text", parameter_name: "pedido", text: "{{pedido}}" },
            ],
          },
        ],
      },
    });
    templateId = t.id;
    expect(t.variables).toEqual(["nome", "pedido"]);
    const preview = await operator.client.templates.preview.query({
      id: t.id,
      samples: { nome: "Maria", pedido: "#4521" },
    });
    expect(preview.text).toBe("Olá Maria, seu pedido #4521 saiu para entrega.");
    expect(preview.metaComponents).toEqual([
      {
        type: "body",
        parameters: [
          { type: "text", parameter_name: "nome", text: "Maria" },
          { type: "text", parameter_name: "pedido", text: "#4521" },
        ],
      },
    ]);
    await expect(
      operator.client.templates.preview.query({ id: t.id, samples: { nome: "Maria", cupom: "X" } }),
    ).rejects.toThrow(/\{\{pedido\}\}.*\{\{cupom\}\}/);
    await expect(admin.client.templates.create.mutate({ name: "Misto", body: "Oi {{1}} {{nome}}" })).rejects.toThrow(
      /misture/,
    );
    await expect(operator.client.templates.create.mutate({ name: "X", body: "Oi" })).rejects.toThrow(/role/);
  });

  it("ties a template to a number and deactivates it: campaigns refuse it elsewhere or inactive", async () => {
    const base = { body: "Olá", meta: { name: "ola", language: "pt_BR" } };
    await expect(
      admin.client.templates.create.mutate({ ...base, name: "Número fantasma", instanceId: randomUUID() }),
    ).rejects.toThrow(/Número não encontrado/);
    await expect(
      admin.client.templates.create.mutate({ name: "Sem nome Meta", body: "Olá", instanceId }),
    ).rejects.toThrow(/nome aprovado na Meta/);
    const [other] = await stack.core.sql<{ id: string }[]>`insert into service_instances (name, provider, secrets)
      values ('Outra Meta', 'META', 'x') returning id`;
    const elsewhere = await admin.client.templates.create.mutate({ ...base, name: "Da outra", instanceId: other?.id });
    expect(elsewhere).toMatchObject({ active: true, instanceId: other?.id });
    const off = await admin.client.templates.update.mutate({
      ...base,
      id: elsewhere.id,
      name: "Da outra",
      active: false,
    });
    expect(off.active).toBe(false);
    const draft = { name: "X", instanceId, variableMapping: {}, audience: { kind: "csv" as const } };
    await expect(admin.client.campaigns.create.mutate({ ...draft, templateId: elsewhere.id })).rejects.toThrow(
      /desativado/,
    );
    await admin.client.templates.update.mutate({ ...base, id: elsewhere.id, name: "Da outra", instanceId: other?.id });
    await expect(admin.client.campaigns.create.mutate({ ...draft, templateId: elsewhere.id })).rejects.toThrow(
      /outro número/,
    );
    await admin.client.templates.delete.mutate({ id: elsewhere.id });
  });

  it("refuses a campaign whose mapping misses or invents variables, naming them", async () => {
    await expect(
      admin.client.campaigns.create.mutate({
        name: "Errada",
        instanceId,
        templateId,
        variableMapping: { nome: "csv:nome", cupom: "text:X" },
        audience: { kind: "csv" },
      }),
    ).rejects.toThrow(/sem origem: \{\{pedido\}\}; desconhecidas: \{\{cupom\}\}/);
  });

  it("imports a CSV audience with an error report, sends it, streams progress and exports results", {
    timeout: 90_000,
  }, async () => {
    const campaign = await admin.client.campaigns.create.mutate({
      name: "Entrega",
      instanceId,
      templateId,
      variableMapping: { nome: "csv:nome", pedido: "csv:pedido" },
      audience: { kind: "csv" },
      pacePerMinute: 0,
    });
    expect((await upload(campaign.id, "telefone;nome\n11970000001;Ana\n", admin.token)).status).toBe(400);
    expect((await upload(campaign.id, "telefone;nome;pedido\n", operator.token)).status).toBe(403);
    const csv =
      "telefone;nome;pedido\n11 97000-0001;Maria;#1\nabc;X;#2\n(11) 97000-0001;Dup;#3\n+5511970000002;João;#4\n";
    const res = await upload(campaign.id, csv, admin.token);
    expect(res.status).toBe(200);
    const report = (await res.json()) as { rowsRead: number; imported: number; invalid: number; errors: unknown[] };
    expect(report).toMatchObject({ rowsRead: 4, imported: 2, invalid: 2 });
    expect(report.errors).toEqual([
      { line: 3, value: "abc", reason: "telefone inválido" },
      { line: 4, value: "(11) 97000-0001", reason: "telefone repetido" },
    ]);

    const { client, ws } = wsClient(stack.url, supervisor.token);
    const progress: Array<Record<string, unknown>> = [];
    const sub = client.campaigns.onProgress.subscribe(
      { campaignId: campaign.id },
      { onData: (d) => progress.push(d.data as Record<string, unknown>) },
    );
    await new Promise((r) => setTimeout(r, 300));
    await admin.client.campaigns.start.mutate({ id: campaign.id });
    const stats = await until(async () => {
      await sim.settled();
      const s = await supervisor.client.campaigns.stats.query({ id: campaign.id });
      return s.status === "COMPLETED" && s.read === 2 ? s : undefined;
    });
    expect(stats).toMatchObject({ total: 2, sent: 2, delivered: 2, read: 2, failed: 0, skippedInvalid: 2 });
    await until(async () => progress.some((p) => p.status === "COMPLETED" && p.sent === 2));
    sub.unsubscribe();
    await ws.close();

    const sent = sim.sentMessages();
    expect(sent.map((m) => m.to).sort()).toEqual(["5511970000001", "5511970000002"]);
    expect(sent.find((m) => m.to === "5511970000002")?.request).toMatchObject({
      template: { name: "pedido_saiu", components: [{ parameters: [{ text: "João" }, { text: "#4" }] }] },
    });
    const read = await supervisor.client.campaigns.recipients.query({ campaignId: campaign.id, status: "READ" });
    expect(read.items.map((r) => r.phone).sort()).toEqual(["+5511970000001", "+5511970000002"]);

    const file = await fetch(`${stack.url}/campaigns/${campaign.id}/results.csv`, {
      headers: { authorization: `Bearer ${supervisor.token}` },
    });
    expect(file.headers.get("content-type")).toContain("text/csv");
    const text = await file.text();
    expect(text).toContain("telefone,status,motivo");
    expect(text).toContain("+5511970000002,READ");
    const denied = await fetch(`${stack.url}/campaigns/${campaign.id}/results.csv`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    expect(denied.status).toBe(403);
  });

  it("acknowledges an opt-out keyword through the worker", async () => {
    const [contact] = await stack.core.sql<{ id: string }[]>`select id from contacts where phone = '+5511970000001'`;
    const opted = await stack.core.db.transaction((tx) =>
      handleOptOutKeyword(tx, { contactId: contact?.id ?? "", instanceId, text: "PARAR" }),
    );
    expect(opted).toBe(true);
    const ack = await until(async () => sim.sentMessages().find((m) => m.to === "5511970000001" && m.type === "text"));
    expect(JSON.stringify(ack.request)).toContain("não receberá mais mensagens");
    const [row] = await stack.core.sql`select opted_out_at from contacts where id = ${contact?.id ?? ""}`;
    expect(row?.opted_out_at).not.toBeNull();
  });
});
