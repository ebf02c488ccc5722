import { metaWebhookEnvelope } from "@elsehu/providers/simulator";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, META_PNID, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * Click-to-WhatsApp ads in the reports: customers who came from ads (Meta `referral`,
 * posted as Meta's webhook), served and closed by an operator, counted per ad, filtered by
 * ad source in every report and in the CSV export, whose rows name the ad.
 */
let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Sao_Paulo" }).format(new Date());
const PERIOD = { from: today, to: today };
const AD_PIZZA = {
  source_id: "120210000000000001",
  source_type: "ad",
  source_url: "https://fb.me/pizza",
  headline: "Pizza em dobro",
};
const AD_SODA = {
  source_id: "120210000000000002",
  source_type: "ad",
  source_url: "https://fb.me/soda",
  headline: "Refri grátis",
};

async function customerFrom(phone: string, referral: Record<string, string> | null, tabulationId: string) {
  const id = `wamid.REF-${phone}`;
  const message = {
    from: phone,
    id,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: "text",
    text: { body: "Oi" },
  };
  const value = {
    contacts: [{ profile: { name: `Cliente ${phone.slice(-4)}` }, wa_id: phone }],
    messages: [referral ? { ...message, referral } : message],
  };
  expect(await p.sim.postWebhook("META", metaWebhookEnvelope(value, { phoneNumberId: META_PNID }))).toBe(200);
  const [row] = await until(async () => {
    const rows = await p.stack.core.sql<{ conversation_id: string }[]>`
      select conversation_id from messages where provider_message_id = ${id}`;
    return rows.length > 0 ? rows : null;
  });
  const conversationId = row?.conversation_id ?? "";
  await assign(p.stack, conversationId, operator.user.id);
  await operator.client.conversations.close.mutate({ id: conversationId, tabulationId });
}

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR", { maxConcurrent: 10 });
  const tab = await p.admin.client.tabulations.create.mutate({ name: "Venda" });
  await customerFrom("5511900000001", AD_PIZZA, tab.id);
  await customerFrom("5511900000002", AD_PIZZA, tab.id);
  await customerFrom("5511900000003", AD_SODA, tab.id);
  await customerFrom("5511900000004", null, tab.id);
});
afterAll(async () => {
  await p.close();
});

describe("reports by ad source", () => {
  it("counts finished conversations per ad, with its headline and link, and those from no ad", async () => {
    const report = await p.admin.client.reports.byAdSource.query(PERIOD);
    expect(report.direct).toBe(1);
    expect(report.rows).toEqual([
      {
        sourceId: AD_PIZZA.source_id,
        headline: "Pizza em dobro",
        sourceUrl: "https://fb.me/pizza",
        closed: 2,
        expired: 0,
        total: 2,
      },
      {
        sourceId: AD_SODA.source_id,
        headline: "Refri grátis",
        sourceUrl: "https://fb.me/soda",
        closed: 1,
        expired: 0,
        total: 1,
      },
    ]);
  });

  it("filters every report by one ad, by any ad, or by none", async () => {
    const closed = async (adSource: string) =>
      (await p.admin.client.reports.summary.query({ ...PERIOD, adSource })).counts.closed;
    expect(await closed(AD_PIZZA.source_id)).toBe(2);
    expect(await closed("any")).toBe(3);
    expect(await closed("none")).toBe(1);
    const byOperator = await p.admin.client.reports.byOperator.query({ ...PERIOD, adSource: AD_SODA.source_id });
    expect(byOperator.find((r) => r.operatorId === operator.user.id)?.handled).toBe(1);
    const finished = await p.admin.client.reports.finished.query({ ...PERIOD, adSource: AD_SODA.source_id });
    expect(finished.items).toHaveLength(1);
    expect(finished.items[0]?.referral).toMatchObject({ sourceId: AD_SODA.source_id, headline: "Refri grátis" });
  });

  it("exports the ad of each conversation, and only the chosen ad's", async () => {
    const csv = async (query: string) => {
      const res = await fetch(`${p.stack.url}/reports/finished.csv?from=${today}&to=${today}${query}`, {
        headers: { authorization: `Bearer ${p.admin.token}` },
      });
      expect(res.status).toBe(200);
      return (await res.text()).trim().split("\r\n");
    };
    const all = await csv("");
    expect(all[0]).toMatch(/,ad_source_id,ad_headline$/);
    expect(all.filter((l) => l.endsWith(`,${AD_PIZZA.source_id},Pizza em dobro`))).toHaveLength(2);
    expect(all).toHaveLength(5);
    const soda = await csv(`&adSource=${AD_SODA.source_id}`);
    expect(soda).toHaveLength(2);
    expect(soda[1]).toMatch(/,120210000000000002,Refri grátis$/);
    const excel = await csv("&adSource=none&excel=1");
    expect(excel[0]).toMatch(/;Anúncio \(id\);Anúncio$/);
    expect(excel).toHaveLength(2);
  });

  it("refuses an oversized ad source and keeps an operator to his own conversations", async () => {
    await expect(
      p.admin.client.reports.byAdSource.query({ ...PERIOD, adSource: "x".repeat(201) }),
    ).rejects.toMatchObject({
      data: { code: "BAD_REQUEST" },
    });
    const other = await userWithToken(p.stack, "OPERATOR");
    const theirs = await other.client.reports.byAdSource.query(PERIOD);
    expect(theirs).toEqual({ direct: 0, rows: [] });
    const mine = await operator.client.reports.byAdSource.query(PERIOD);
    expect(mine.rows.map((r) => r.total)).toEqual([2, 1]);
  });
});
