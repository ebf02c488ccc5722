import { addJob } from "@elsehu/core";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageByProviderId, type Pipeline, postMeta, startPipeline, until } from "./pipeline-helpers";

const WABA = "102938475610293";
let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
let conversationId: string;

const approved = {
  id: "1387372356726668",
  name: "pedido_atualizacao",
  language: "pt_BR",
  status: "APPROVED",
  category: "UTILITY",
  quality_score: { score: "GREEN" },
  components: [{ type: "BODY", text: "Olá {{1}}, seu pedido {{2}} foi atualizado." }],
};
const paused = {
  id: "1304694804498707",
  name: "promo_fim_de_semana",
  language: "pt_BR",
  status: "PAUSED",
  category: "MARKETING",
  components: [{ type: "BODY", text: "Promoção!" }],
};

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR");
  await p.sim.injectInbound("META", { from: "+5511987654321", body: "Oi", id: "wamid.TPL-IN" });
  const inbound = await until(() => messageByProviderId(p.stack, "wamid.TPL-IN"));
  conversationId = inbound.conversation_id;
  await assign(p.stack, conversationId, operator.user.id);
});
afterAll(async () => {
  await p.close();
});

const synced = async (name: string) =>
  (await p.admin.client.templates.list.query({})).find((t) => t.meta?.name === name && t.metaStatus);

describe("templates from Meta", () => {
  it("syncs on demand through the worker: approved ones are sendable, paused ones are refused with the reason", async () => {
    p.sim.setMetaTemplates([approved, paused]);
    expect(await p.admin.client.templates.syncFromMeta.mutate({ instanceId: p.meta.id })).toEqual({ queued: true });
    const good = await until(() => synced("pedido_atualizacao"));
    expect(good).toMatchObject({
      body: "Olá {{1}}, seu pedido {{2}} foi atualizado.",
      variables: ["1", "2"],
      metaStatus: "APPROVED",
      metaCategory: "UTILITY",
      metaQuality: "GREEN",
      unavailableReason: null,
      instanceId: p.meta.id,
    });
    const bad = await until(() => synced("promo_fim_de_semana"));
    expect(bad?.unavailableReason).toMatch(/pausado na Meta/);
    const sent = await operator.client.messages.sendTemplate.mutate({
      conversationId,
      templateId: good.id,
      variables: { "1": "Maria", "2": "4521" },
    });
    expect(sent.status).toBe("QUEUED");
    const refused = await operator.client.messages.sendTemplate
      .mutate({ conversationId, templateId: bad.id })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ data: { code: "BAD_REQUEST", reason: "TEMPLATE_NOT_APPROVED" } });
  });

  it("the hourly job (no payload) syncs every Meta number, updating what changed", async () => {
    p.sim.setMetaTemplates([
      { ...approved, quality_score: { score: "YELLOW" } },
      { ...paused, status: "APPROVED" },
    ]);
    await p.stack.core.db.transaction((tx) => addJob(tx, "templates/sync_meta", {}));
    await until(async () => (await synced("promo_fim_de_semana"))?.metaStatus === "APPROVED");
    expect((await synced("pedido_atualizacao"))?.metaQuality).toBe("YELLOW");
  });

  it("applies status and quality webhooks at once; a rejected template can no longer be sent", async () => {
    const status = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA,
          time: 1761066000,
          changes: [
            {
              field: "message_template_status_update",
              value: {
                event: "REJECTED",
                message_template_id: Number(approved.id),
                message_template_name: approved.name,
                message_template_language: "pt-BR",
                reason: "INVALID_FORMAT",
              },
            },
            {
              field: "message_template_quality_update",
              value: {
                previous_quality_score: "YELLOW",
                new_quality_score: "RED",
                message_template_id: Number(approved.id),
                message_template_name: approved.name,
                message_template_language: "pt_BR",
              },
            },
          ],
        },
      ],
    };
    expect(await postMeta(p.stack.url, status)).toBe(200);
    const after = await synced("pedido_atualizacao");
    expect(after).toMatchObject({ metaStatus: "REJECTED", metaQuality: "RED" });
    expect(after?.unavailableReason).toMatch(/rejeitado na Meta \(INVALID_FORMAT\)/);
    const refused = await operator.client.messages.sendTemplate
      .mutate({ conversationId, templateId: String(after?.id), variables: { "1": "Maria", "2": "1" } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ data: { reason: "TEMPLATE_NOT_APPROVED" } });
    // A webhook signed with another app's secret changes nothing.
    const forged = JSON.parse(JSON.stringify(status).replace("REJECTED", "APPROVED"));
    expect(await postMeta(p.stack.url, forged, "some-other-app-secret")).toBe(401);
    expect((await synced("pedido_atualizacao"))?.metaStatus).toBe("REJECTED");
  });

  it("refuses the sync for an Evolution number, naming why", async () => {
    const err = await p.admin.client.templates.syncFromMeta
      .mutate({ instanceId: p.evolution.id })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { reason: "NOT_META" } });
  });
});
