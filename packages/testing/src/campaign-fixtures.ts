import { type Actor, type CoreContext, createCampaign, createTemplate, encryptJson } from "@elsehu/core";
import { campaignRecipients, contacts, serviceInstances } from "@elsehu/db";
import { normalizePhone } from "@elsehu/providers";
import { type Stack, userWithToken } from "./harness";

export const PHONE_NUMBER_ID = "109876543210987";

/** A META service instance whose Graph base URL is the simulator (secrets encrypted like the real ones). */
export async function metaInstance(
  core: CoreContext,
  simUrl: string,
  over: { ratePerSecond?: number; timeoutMs?: number; phoneNumberId?: string } = {},
) {
  const [row] = await core.db
    .insert(serviceInstances)
    .values({
      name: `Meta ${Math.random().toString(36).slice(2, 7)}`,
      provider: "META",
      config: {
        phoneNumberId: over.phoneNumberId ?? PHONE_NUMBER_ID,
        baseUrl: simUrl,
        ...(over.timeoutMs ? { timeoutMs: String(over.timeoutMs) } : {}),
      },
      secrets: encryptJson(core.config.encryptionKey, { accessToken: "sim-token", appSecret: "sim-secret" }),
      // Routing key of inbound webhooks: unique per instance.
      metaPhoneNumberId: String(Math.floor(Math.random() * 1e15)),
      sendRatePerSecond: over.ratePerSecond ?? 80,
      nextSendAt: new Date(0),
    })
    .returning();
  if (!row) throw new Error("instance insert failed");
  return row;
}

export async function evolutionInstance(core: CoreContext, simUrl: string) {
  const [row] = await core.db
    .insert(serviceInstances)
    .values({
      name: `Evo ${Math.random().toString(36).slice(2, 7)}`,
      provider: "EVOLUTION",
      config: { baseUrl: simUrl, instanceName: "sim-instance" },
      secrets: encryptJson(core.config.encryptionKey, { apiKey: "sim-key" }),
      sendRatePerSecond: 5,
      nextSendAt: new Date(0),
    })
    .returning();
  if (!row) throw new Error("instance insert failed");
  return row;
}

export async function orderTemplate(core: CoreContext, actor: Actor) {
  return createTemplate(core, actor, {
    name: `Pedido ${Math.random().toString(36).slice(2, 7)}`,
    body: "Olá {{1}}, seu pedido {{2}} saiu para entrega.",
    meta: {
      name: "pedido_atualizacao",
      language: "pt_BR",
      components: [
        {
          type: "body",
          parameters: [
            { type: "text", text: "{{1}}" },
            { type: "text", text: "{{2}}" },
          ],
        },
      ],
    },
  });
}

/** Distinct valid Brazilian mobiles: +55 11 9xxxx-xxxx. */
export function phones(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, i) => `+55119${String(70000000 + offset + i).padStart(8, "0")}`);
}

/** A DRAFT campaign whose recipients are inserted directly (contacts created for each phone). */
export async function draftCampaign(
  core: CoreContext,
  actor: Actor,
  input: {
    instanceId: string;
    templateId: string;
    recipients: string[];
    pacePerMinute?: number;
    jitterPct?: number;
    window?: { start: string; end: string } | null;
    dailyCap?: number | null;
    timezone?: string;
  },
) {
  const campaign = await createCampaign(core, actor, {
    name: `Campanha ${Math.random().toString(36).slice(2, 7)}`,
    instanceId: input.instanceId,
    templateId: input.templateId,
    variableMapping: { "1": "contact:name", "2": "text:#4521" },
    audience: { kind: "csv" },
    pacePerMinute: input.pacePerMinute ?? 60,
    jitterPct: input.jitterPct ?? 0,
    window: input.window ?? null,
    dailyCap: input.dailyCap ?? null,
    timezone: input.timezone ?? "America/Sao_Paulo",
  });
  const rows = [];
  for (const [i, phone] of input.recipients.entries()) {
    const key = normalizePhone(phone)?.key ?? phone;
    const [contact] = await core.db
      .insert(contacts)
      .values({ phone, phoneKey: key, name: `Cliente ${i}` })
      .onConflictDoUpdate({ target: contacts.phoneKey, set: { updatedAt: new Date() } })
      .returning();
    rows.push({
      campaignId: campaign.id,
      contactId: contact?.id ?? null,
      phone,
      variables: { "1": `Cliente ${i}`, "2": "#4521" },
    });
  }
  if (rows.length > 0) await core.db.insert(campaignRecipients).values(rows);
  return campaign;
}

/** A controllable clock: a CoreContext whose now() is `clock.now`. */
export function withClock(core: CoreContext, start: Date) {
  const clock = { now: new Date(start) };
  const ctx: CoreContext = { ...core, now: () => new Date(clock.now) };
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  const set = (d: Date) => {
    clock.now = new Date(d);
  };
  return { ctx, clock, advance, set };
}

export async function recipientsOf(core: CoreContext, campaignId: string) {
  return core.sql<{ phone: string; status: string; reason: string | null; error_code: string | null }[]>`
    select phone, status, reason, error_code from campaign_recipients where campaign_id = ${campaignId} order by id`;
}

/**
 * What a campaign needs: an admin, the order template and a Meta instance on the simulator;
 * `draft` then makes a campaign to `recipients` at `pacePerMinute` (0: as fast as allowed).
 */
export async function campaignGround(stack: Stack, simUrl: string, instanceOpts: { timeoutMs?: number } = {}) {
  const u = await userWithToken(stack, "ADMIN");
  const admin: Actor = { id: u.user.id, role: "ADMIN", name: u.user.name };
  const template = await orderTemplate(stack.core, admin);
  const instance = await metaInstance(stack.core, simUrl, instanceOpts);
  const draft = (recipients: string[], pacePerMinute: number) =>
    draftCampaign(stack.core, admin, { instanceId: instance.id, templateId: template.id, recipients, pacePerMinute });
  return { admin, template, instance, draft };
}
