import { createServer, type Server } from "node:http";
import {
  ackOptOut,
  applyCampaignStatus,
  campaignStats,
  cancelCampaign,
  claimRecipients,
  dispatchTick,
  findOrOpenConversation,
  handleOptOutKeyword,
  listJobs,
  markCampaignReply,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
  WORKER_DIED,
} from "@elsehu/core";
import { parseMetaWebhook } from "@elsehu/providers";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import {
  draftCampaign,
  metaInstance,
  orderTemplate,
  phones,
  recipientsOf,
  type Stack,
  startStack,
  userWithToken,
  withClock,
} from "@elsehu/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

let stack: Stack;
let sim: Simulator;
let receiver: Server;
let admin: { id: string; role: "ADMIN"; name: string };
let templateId: string;
/** Instance whose statuses the webhook receiver applies. */
let statusInstanceId = "";

// 10:00 in São Paulo (UTC-3, no DST).
const T0 = new Date("2030-03-04T13:00:00Z");

beforeAll(async () => {
  stack = await startStack({ worker: false });
  receiver = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", async () => {
      try {
        for (const batch of parseMetaWebhook(JSON.parse(raw))) {
          for (const e of batch.events) {
            if (e.kind !== "status" || !statusInstanceId) continue;
            await applyCampaignStatus(stack.core, {
              instanceId: statusInstanceId,
              providerMessageId: e.providerMessageId,
              status: e.status,
              error: e.error,
            });
          }
        }
      } finally {
        res.end("ok");
      }
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const address = receiver.address();
  const port = typeof address === "object" && address ? address.port : 0;
  sim = await startSimulator({ meta: { webhookUrl: `http://127.0.0.1:${port}/` }, statusDelayMs: 5, hangMs: 3000 });
  const u = await userWithToken(stack, "ADMIN");
  admin = { id: u.user.id, role: "ADMIN", name: u.user.name };
  templateId = (await orderTemplate(stack.core, admin)).id;
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => receiver.close(() => r()));
  await stack.close();
});
beforeEach(() => sim.reset());

async function contactOf(phone: string | undefined) {
  const [row] = await stack.core.sql<{ id: string }[]>`select id from contacts where phone = ${phone ?? ""}`;
  return row;
}

/** The simulator records digits; recipients are E.164. */
const sentTo = () => sim.sentMessages().map((m) => `+${m.to}`);

async function setup(
  n: number,
  opts: Parameters<typeof draftCampaign>[2] extends infer I ? Partial<I> : never = {},
  instanceOpts: { timeoutMs?: number } = {},
) {
  const instance = await metaInstance(stack.core, sim.url, instanceOpts);
  const c = withClock(stack.core, T0);
  const list = phones(n, Math.floor(Math.random() * 1_000_000));
  const campaign = await draftCampaign(stack.core, admin, {
    instanceId: instance.id,
    templateId,
    recipients: list,
    ...opts,
  });
  await startCampaign(c.ctx, admin, campaign.id);
  return { ...c, campaign, instance, list };
}

describe("campaign dispatch (controllable clock)", () => {
  it("sends one recipient per pace step, waits in between, and completes", async () => {
    const { ctx, advance, campaign, list } = await setup(3, { pacePerMinute: 60 });
    const first = await dispatchTick(ctx, campaign.id);
    expect(first.state).toBe("sent");
    expect(first.nextRunAt).toEqual(new Date(T0.getTime() + 1000));
    const early = await dispatchTick(ctx, campaign.id);
    expect(early).toMatchObject({ state: "wait", reason: "pace" });
    expect(sentTo()).toEqual([list[0]]);
    advance(1000);
    await dispatchTick(ctx, campaign.id);
    advance(1000);
    await dispatchTick(ctx, campaign.id);
    advance(1000);
    expect((await dispatchTick(ctx, campaign.id)).state).toBe("completed");
    expect(sentTo()).toEqual(list);
    // The Meta request is the send-template fixture's shape, with this recipient's values.
    expect(sim.sentMessages()[0]?.request).toMatchObject({
      type: "template",
      template: {
        name: "pedido_atualizacao",
        language: { code: "pt_BR" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Cliente 0" },
              { type: "text", text: "#4521" },
            ],
          },
        ],
      },
    });
    const stats = await campaignStats(ctx, campaign.id);
    expect(stats).toMatchObject({ status: "COMPLETED", total: 3, sent: 3, pending: 0 });
  });

  it("varies each pace step by the jitter, within its bounds", async () => {
    const { ctx, campaign } = await setup(2, { pacePerMinute: 60, jitterPct: 20 });
    const slow = await dispatchTick(ctx, campaign.id, { random: () => 1 });
    expect(slow.nextRunAt).toEqual(new Date(T0.getTime() + 1200));
  });

  it("sends nothing outside the sending window and resumes at the next opening", async () => {
    const { ctx, set, campaign, list } = await setup(1, {
      pacePerMinute: 60,
      window: { start: "08:00", end: "20:00" },
    });
    set(new Date("2030-03-05T00:30:00Z")); // 21:30 in São Paulo
    const tick = await dispatchTick(ctx, campaign.id);
    expect(tick).toMatchObject({ state: "wait", reason: "outside the sending window" });
    expect(tick.nextRunAt).toEqual(new Date("2030-03-05T11:00:00Z")); // 08:00 local
    expect(sentTo()).toEqual([]);
    set(new Date("2030-03-05T11:00:00Z"));
    expect((await dispatchTick(ctx, campaign.id)).state).toBe("sent");
    expect(sentTo()).toEqual(list);
  });

  it("stops at the instance's daily cap across campaigns and continues the next local day", async () => {
    const a = await setup(3, { pacePerMinute: 0, dailyCap: 2 });
    const first = await dispatchTick(a.ctx, a.campaign.id);
    expect(first.outcomes).toHaveLength(2);
    a.advance(1000); // past the instance's own pace
    const capped = await dispatchTick(a.ctx, a.campaign.id);
    expect(capped).toMatchObject({ state: "wait", reason: "daily cap reached" });
    expect(capped.nextRunAt).toEqual(new Date("2030-03-05T03:00:00Z")); // midnight in São Paulo
    // Another campaign on the same instance shares the cap.
    const other = await draftCampaign(stack.core, admin, {
      instanceId: a.instance.id,
      templateId,
      recipients: phones(1, 5_000_000 + Math.floor(Math.random() * 1000)),
      pacePerMinute: 0,
      dailyCap: 2,
    });
    await startCampaign(a.ctx, admin, other.id);
    expect((await dispatchTick(a.ctx, other.id)).reason).toBe("daily cap reached");
    a.set(new Date("2030-03-05T03:00:00Z"));
    expect((await dispatchTick(a.ctx, a.campaign.id)).outcomes).toHaveLength(1);
    expect(sim.sentMessages()).toHaveLength(3);
  });

  it("pause stops within one step, resume continues exactly where it stopped, cancel settles the rest", async () => {
    const { ctx, advance, campaign, list } = await setup(4, { pacePerMinute: 60 });
    await dispatchTick(ctx, campaign.id);
    await pauseCampaign(ctx, admin, campaign.id);
    advance(1000);
    expect((await dispatchTick(ctx, campaign.id)).state).toBe("stopped");
    expect(sentTo()).toEqual([list[0]]);
    advance(60_000);
    await resumeCampaign(ctx, admin, campaign.id);
    await dispatchTick(ctx, campaign.id);
    expect(sentTo()).toEqual([list[0], list[1]]);
    await cancelCampaign(ctx, admin, campaign.id);
    advance(1000);
    expect((await dispatchTick(ctx, campaign.id)).state).toBe("stopped");
    expect(sentTo()).toEqual([list[0], list[1]]);
    const rows = await recipientsOf(stack.core, campaign.id);
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT", "SKIPPED", "SKIPPED"]);
    expect(rows[3]?.reason).toBe("cancelled");
  });

  it("skips and counts opted-out contacts; an opt-out keyword opts out and is acknowledged", async () => {
    const { ctx, advance, campaign, list, instance } = await setup(3, { pacePerMinute: 0 });
    const target = await contactOf(list[1]);
    if (!target) throw new Error("contact missing");
    const optedOut = await stack.core.db.transaction(async (tx) => {
      const notKeyword = await handleOptOutKeyword(tx, {
        contactId: target.id,
        instanceId: instance.id,
        text: "quero sair amanhã",
      });
      const keyword = await handleOptOutKeyword(tx, { contactId: target.id, instanceId: instance.id, text: " Sair! " });
      return { notKeyword, keyword };
    });
    expect(optedOut).toEqual({ notKeyword: false, keyword: true });
    await dispatchTick(ctx, campaign.id);
    advance(1000);
    await dispatchTick(ctx, campaign.id);
    expect(sentTo()).toEqual([list[0], list[2]]);
    const stats = await campaignStats(ctx, campaign.id);
    expect(stats).toMatchObject({ sent: 2, skipped: 1, skippedOptedOut: 1, status: "COMPLETED" });
    // The acknowledgement job was queued with the opt-out; running it answers the customer.
    const jobs = await listJobs(stack.core, { task: "campaigns/ack_opt_out" });
    expect(jobs.length).toBeGreaterThan(0);
    await ackOptOut(stack.core, { contactId: target.id, instanceId: instance.id });
    const ack = sim.sentMessages().find((m) => `+${m.to}` === list[1]);
    expect(ack?.type).toBe("text");
  });

  it("records provider refusals, requeues only what the provider surely refused, and marks timeouts unknown", async () => {
    const { ctx, advance, campaign, list } = await setup(4, { pacePerMinute: 0 }, { timeoutMs: 1000 });
    sim.fail({ kind: "131047", times: 1 });
    await dispatchTick(ctx, campaign.id, { maxBatch: 1 });
    advance(1000);
    sim.fail({ kind: "timeout", times: 1 });
    await dispatchTick(ctx, campaign.id, { maxBatch: 1 });
    advance(1000);
    sim.fail({ kind: "429", times: 1 });
    const throttled = await dispatchTick(ctx, campaign.id, { maxBatch: 1 });
    expect(throttled.outcomes[0]?.status).toBe("PENDING");
    for (let i = 0; i < 5; i++) {
      advance(2_000);
      await dispatchTick(ctx, campaign.id);
    }
    const rows = await recipientsOf(stack.core, campaign.id);
    expect(rows[0]).toMatchObject({ status: "FAILED", error_code: "131047" });
    expect(rows[0]?.reason).toContain("24 hours");
    expect(rows[1]?.status).toBe("UNKNOWN"); // timed out: maybe sent, never retried
    expect(rows[2]?.status).toBe("SENT"); // 429, then sent once
    expect(rows[3]?.status).toBe("SENT");
    expect(sentTo().sort()).toEqual([list[2], list[3]].sort());
  });

  it("reports a recipient whose worker died during the call as unknown, and never sends it", async () => {
    const { ctx, advance, campaign, list } = await setup(2, { pacePerMinute: 0 }, { timeoutMs: 1000 });
    // A tick that claimed and committed, then died before calling the provider.
    const claim = await claimRecipients(ctx, campaign.id, { maxBatch: 1, random: Math.random });
    expect(claim.kind).toBe("claimed");
    advance(1000);
    const second = await dispatchTick(ctx, campaign.id);
    expect(second.outcomes).toHaveLength(1);
    advance(1000);
    expect((await dispatchTick(ctx, campaign.id)).reason).toBe("provider calls in flight");
    advance(10_000);
    expect((await dispatchTick(ctx, campaign.id)).state).toBe("completed");
    const rows = await recipientsOf(stack.core, campaign.id);
    expect(rows[0]).toMatchObject({ status: "UNKNOWN", reason: WORKER_DIED });
    expect(sentTo()).toEqual([list[1]]);
  });

  it("moves recipients forward with the simulator's statuses, never back, and counts replies", async () => {
    const { ctx, campaign, list, instance } = await setup(1, { pacePerMinute: 0 });
    statusInstanceId = instance.id;
    await dispatchTick(ctx, campaign.id);
    await sim.settled();
    const [row] = await recipientsOf(stack.core, campaign.id);
    expect(row?.status).toBe("READ");
    const [sent] = sim.sentMessages();
    const late = await applyCampaignStatus(stack.core, {
      instanceId: instance.id,
      providerMessageId: sent?.providerMessageId ?? "",
      status: "delivered",
    });
    expect(late).toBe("stale");
    const contact = await contactOf(list[0]);
    const result = await stack.core.db.transaction(async (tx) => {
      const { conversation } = await findOrOpenConversation(tx, {
        contactId: contact?.id ?? "",
        instanceId: instance.id,
        now: ctx.now(),
      });
      const campaignId = await markCampaignReply(tx, {
        contactId: contact?.id ?? "",
        instanceId: instance.id,
        conversationId: conversation.id,
        opened: true,
        now: ctx.now(),
      });
      return { campaignId, conversationId: conversation.id };
    });
    expect(result.campaignId).toBe(campaign.id);
    const [conv] = await stack.core.sql`select campaign_id from conversations where id = ${result.conversationId}`;
    expect(conv?.campaign_id).toBe(campaign.id);
    expect((await campaignStats(ctx, campaign.id)).replied).toBe(1);
  });

  it("keeps the provider's code and words when a status says failed", async () => {
    const { ctx, campaign, instance } = await setup(1, { pacePerMinute: 0 });
    statusInstanceId = ""; // the receiver must not race this test
    await dispatchTick(ctx, campaign.id);
    const [sent] = sim.sentMessages();
    const applied = await applyCampaignStatus(stack.core, {
      instanceId: instance.id,
      providerMessageId: sent?.providerMessageId ?? "",
      status: "failed",
      error: { code: "131026", message: "Message undeliverable" },
    });
    expect(applied).toBe("applied");
    const [row] = await recipientsOf(stack.core, campaign.id);
    expect(row).toMatchObject({ status: "FAILED", error_code: "131026", reason: "Message undeliverable" });
  });
});
