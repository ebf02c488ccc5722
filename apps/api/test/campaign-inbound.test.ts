import { OPT_OUT_ACK_TEXT } from "@elsehu/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * What customers' WhatsApp traffic does to campaigns, through the real pipeline
 * (simulator → signed webhook → worker): statuses of campaign messages, replies,
 * and opt-out keywords (also from a known sender, the path that stores plain
 * messages in bulk).
 */
let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
});

const optedOut = async (phone: string) =>
  (
    await p.stack.core.sql<
      { out: boolean }[]
    >`select opted_out_at is not null as out from contacts where phone = ${phone}`
  )[0]?.out;
const acksTo = (digits: string) =>
  p.sim
    .sentMessages()
    .filter((m) => m.to.replace(/\D/g, "") === digits && JSON.stringify(m.request).includes("Pronto!"));

describe("opt-out keywords from customers", () => {
  it("opts a known customer out when he answers 'Parar.', not for a sentence that mentions it, and acknowledges", async () => {
    const phone = "+5511976540001";
    await p.sim.injectInbound("META", { from: phone, body: "Oi", id: "wamid.OPT-1", name: "Rita" });
    await until(() => messageByProviderId(p.stack, "wamid.OPT-1"));
    await p.sim.injectInbound("META", { from: phone, body: "quero parar de receber amanhã", id: "wamid.OPT-2" });
    await until(() => messageByProviderId(p.stack, "wamid.OPT-2"));
    expect(await optedOut(phone)).toBe(false);

    await p.sim.injectInbound("META", { from: phone, body: " Parar. ", id: "wamid.OPT-3" });
    await until(() => messageByProviderId(p.stack, "wamid.OPT-3"));
    expect(await optedOut(phone)).toBe(true);
    const [ack] = await until(async () => {
      const found = acksTo("5511976540001");
      return found.length > 0 && found;
    });
    expect(JSON.stringify(ack?.request)).toContain(OPT_OUT_ACK_TEXT.slice(0, 40));
  });

  it("opts out a first-time Evolution sender whose first word is SAIR", async () => {
    const phone = "+5521976540002";
    await p.sim.injectInbound("EVOLUTION", { from: phone, body: "SAIR", id: "EVO-OPT-1", name: "Caio" });
    await until(() => messageByProviderId(p.stack, "EVO-OPT-1"));
    expect(await optedOut(phone)).toBe(true);
    await until(async () => acksTo("5521976540002").length > 0);
  });

  it("moves a campaign's recipients to READ from status webhooks and attributes the reply", async () => {
    const template = await p.admin.client.templates.create.mutate({
      name: "Aviso",
      body: "Olá {{nome}}, temos novidades.",
      meta: {
        name: "aviso_novidades",
        language: "pt_BR",
        components: [{ type: "body", parameters: [{ type: "text", parameter_name: "nome", text: "{{nome}}" }] }],
      },
    });
    const campaign = await p.admin.client.campaigns.create.mutate({
      name: "Novidades",
      instanceId: p.meta.id,
      templateId: template.id,
      variableMapping: { nome: "csv:nome" },
      audience: { kind: "csv" },
      pacePerMinute: 0,
    });
    const upload = await fetch(`${p.stack.url}/uploads/campaign-csv?campaignId=${campaign.id}&fileName=lista.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
      body: "telefone;nome\n(31) 97654-0003;Lia\n",
    });
    expect(upload.status).toBe(200);
    await p.admin.client.campaigns.start.mutate({ id: campaign.id });
    // The simulator answers the send with signed sent/delivered/read webhooks to /webhooks/meta.
    const read = await until(async () => {
      const s = await p.admin.client.campaigns.stats.query({ id: campaign.id });
      return s.read === 1 && s;
    });
    expect(read).toMatchObject({ total: 1, sent: 1, delivered: 1, read: 1, replied: 0 });

    await p.sim.injectInbound("META", { from: "+5531976540003", body: "Quero saber mais", id: "wamid.CAMP-R1" });
    const reply = await until(() => messageByProviderId(p.stack, "wamid.CAMP-R1"));
    expect((await p.admin.client.campaigns.stats.query({ id: campaign.id })).replied).toBe(1);
    const [conversation] = await p.stack.core.sql<
      { campaign_id: string | null }[]
    >`select campaign_id from conversations where id = ${reply.conversation_id}`;
    expect(conversation?.campaign_id).toBe(campaign.id);
  });
});
