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
    const campaign = await sentCampaign("Novidades", "(31) 97654-0003;Lia");
    const read = await until(async () => {
      const s = await p.admin.client.campaigns.stats.query({ id: campaign.id });
      return s.read === 1 && s;
    });
    expect(read).toMatchObject({ total: 1, sent: 1, delivered: 1, read: 1, replied: 0 });

    await p.sim.injectInbound("META", { from: "+5531976540003", body: "Quero saber mais", id: "wamid.CAMP-R1" });
    const reply = await until(() => messageByProviderId(p.stack, "wamid.CAMP-R1"));
    expect((await p.admin.client.campaigns.stats.query({ id: campaign.id })).replied).toBe(1);
    expect(await campaignOf(reply.conversation_id)).toBe(campaign.id);
  });

  it("counts the reply of customers whose conversation was already open, once, by text or by media", async () => {
    const text = "+5531976540005";
    const media = "+5531976540006";
    await p.sim.injectInbound("META", { from: text, body: "Oi, uma dúvida", id: "wamid.OPEN-1", name: "Ana" });
    await p.sim.injectInbound("META", { from: media, body: "Bom dia", id: "wamid.OPEN-2", name: "Bia" });
    const open = await until(() => messageByProviderId(p.stack, "wamid.OPEN-1"));
    const openMedia = await until(() => messageByProviderId(p.stack, "wamid.OPEN-2"));
    // Known senders in open conversations: before any campaign, nothing is a reply.
    await p.sim.injectInbound("META", { from: text, body: "alguém aí?", id: "wamid.OPEN-3" });
    await until(() => messageByProviderId(p.stack, "wamid.OPEN-3"));

    const campaign = await sentCampaign("Reabertos", "(31) 97654-0005;Ana\n(31) 97654-0006;Bia");
    await until(async () => (await p.admin.client.campaigns.stats.query({ id: campaign.id })).sent === 2);
    expect((await p.admin.client.campaigns.stats.query({ id: campaign.id })).replied).toBe(0);

    // A plain text (stored in bulk) and an image (stored one by one) into the conversations already open.
    await p.sim.injectInbound("META", { from: text, body: "Tenho interesse", id: "wamid.OPEN-4" });
    await p.sim.injectInbound("META", {
      from: media,
      type: "image",
      media: { mimeType: "image/jpeg", base64: Buffer.from("jpeg").toString("base64") },
      id: "wamid.OPEN-5",
    });
    const textReply = await until(() => messageByProviderId(p.stack, "wamid.OPEN-4"));
    const mediaReply = await until(() => messageByProviderId(p.stack, "wamid.OPEN-5"));
    expect(textReply.conversation_id).toBe(open.conversation_id);
    expect(mediaReply.conversation_id).toBe(openMedia.conversation_id);
    expect((await p.admin.client.campaigns.stats.query({ id: campaign.id })).replied).toBe(2);
    expect(await campaignOf(open.conversation_id)).toBe(campaign.id);
    expect(await campaignOf(openMedia.conversation_id)).toBe(campaign.id);

    // Later messages are not new replies: the first reply's time stays.
    const first = await repliedAt(campaign.id);
    await p.sim.injectInbound("META", { from: text, body: "e o preço?", id: "wamid.OPEN-6" });
    await until(() => messageByProviderId(p.stack, "wamid.OPEN-6"));
    expect(await repliedAt(campaign.id)).toEqual(first);
    expect((await p.admin.client.campaigns.stats.query({ id: campaign.id })).replied).toBe(2);
  });
});

const campaignOf = async (conversationId: string) =>
  (
    await p.stack.core.sql<
      { campaign_id: string | null }[]
    >`select campaign_id from conversations where id = ${conversationId}`
  )[0]?.campaign_id;

const repliedAt = async (campaignId: string) =>
  (
    await p.stack.core.sql<{ at: string[] }[]>`
      select array_agg(replied_at::text order by id) as at from campaign_recipients where campaign_id = ${campaignId}`
  )[0]?.at;

/** A campaign to the CSV `rows` (telefone;nome), created and started through the API. */
async function sentCampaign(name: string, rows: string) {
  const template = await p.admin.client.templates.create.mutate({
    name: `Aviso ${name}`,
    body: "Olá {{nome}}, temos novidades.",
    meta: {
      name: "aviso_novidades",
      language: "pt_BR",
      components: [{ type: "body", parameters: [{ type: "text", parameter_name: "nome", text: "{{nome}}" }] }],
    },
  });
  const campaign = await p.admin.client.campaigns.create.mutate({
    name,
    instanceId: p.meta.id,
    templateId: template.id,
    variableMapping: { nome: "csv:nome" },
    audience: { kind: "csv" },
    pacePerMinute: 0,
  });
  const upload = await fetch(`${p.stack.url}/uploads/campaign-csv?campaignId=${campaign.id}&fileName=lista.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
    body: `telefone;nome\n${rows}\n`,
  });
  expect(upload.status).toBe(200);
  await p.admin.client.campaigns.start.mutate({ id: campaign.id });
  return campaign;
}
