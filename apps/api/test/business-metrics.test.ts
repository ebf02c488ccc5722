import { readFileSync } from "node:fs";
import { addJob } from "@elsehu/core";
import { campaignGround, phones, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userRow, waitFor } from "./conversation-fixtures";
import { messageById, type Pipeline, startPipeline, until } from "./pipeline-helpers";

const TOKEN = "metrics-token-0123456789";

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(",") : [];
    if (want.length === have.length && want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

describe("business metrics on /metrics, through real traffic", () => {
  let p: Pipeline;
  const sockets: ReturnType<typeof wsClient>[] = [];
  beforeAll(async () => {
    p = await startPipeline({ api: { metricsToken: TOKEN, metricsCacheMs: 0 } });
  });
  afterAll(async () => {
    for (const s of sockets) await s.ws.close();
    await p.close();
  });

  it("counts a customer's message, shows him waiting in his department, then assigned to the operator who came online", async () => {
    const vendas = await p.admin.client.departments.create.mutate({ name: "Vendas" });
    await p.admin.client.departments.create.mutate({ name: "Financeiro" });
    await p.admin.client.instances.setRouting.mutate({
      instanceId: p.meta.id,
      routing: { mode: "DEPARTMENT", departmentId: vendas.id },
    });
    const operator = await userWithToken(p.stack, "OPERATOR", { maxConcurrent: 5 });
    await p.admin.client.departments.setMembers.mutate({
      departmentId: vendas.id,
      members: [{ userId: operator.user.id }],
    });

    const before = await scrape(p.stack.url);
    expect(sample(before, "elsehu_business_metrics_up")).toBe(1);
    expect(sample(before, "elsehu_queue_waiting", { department: "Vendas" })).toBe(0);
    expect(sample(before, "elsehu_queue_waiting", { department: "Financeiro" })).toBe(0);
    expect(sample(before, "elsehu_operators", { status: "OFFLINE" })).toBe(1);
    expect(sample(before, "elsehu_operators", { status: "ONLINE" })).toBe(0);

    expect(await p.sim.injectInbound("META", { from: "+5511987650001", body: "Quero comprar", id: "wamid.M1" })).toBe(
      200,
    );
    const waiting = await until(async () => {
      const text = await scrape(p.stack.url);
      const queued = sample(text, "elsehu_queue_waiting", { department: "Vendas" }) === 1;
      // The webhook is marked processed when its batch commits, just after the message.
      return queued && sample(text, "elsehu_webhook_lag_seconds") === 0 ? text : undefined;
    });
    expect(sample(waiting, "elsehu_messages_total", { direction: "IN", provider: "META", type: "text" })).toBe(1);
    expect(sample(waiting, "elsehu_queue_oldest_wait_seconds", { department: "Vendas" })).toBeGreaterThanOrEqual(0);
    expect(sample(waiting, "elsehu_queue_waiting", { department: "Financeiro" })).toBe(0);

    const ws = wsClient(p.stack.url, operator.token);
    sockets.push(ws);
    await ws.client.presence.me.query();
    await waitFor(async () => (await userRow(p.stack.core, operator.user.id)).presence === "ONLINE");
    const served = await until(async () => {
      const text = await scrape(p.stack.url);
      return sample(text, "elsehu_queue_waiting", { department: "Vendas" }) === 0 ? text : undefined;
    });
    expect(sample(served, "elsehu_operators", { status: "ONLINE" })).toBe(1);
    expect(sample(served, "elsehu_operators", { status: "OFFLINE" })).toBe(0);
    expect(sample(served, "elsehu_queue_oldest_wait_seconds", { department: "Vendas" })).toBe(0);

    // His reply goes out; a 429 is retried (one provider error) and a 131047 refuses the next one for good.
    const [conversation] = await p.stack.core.sql<{ id: string }[]>`select id from conversations where status = 'OPEN'`;
    const conversationId = conversation?.id as string;
    p.sim.fail({ provider: "META", times: 1, kind: "429" });
    const first = await operator.client.messages.send.mutate({ conversationId, body: "Olá! Posso ajudar." });
    await until(async () => (await messageById(p.stack, first.id))?.provider_message_id);
    p.sim.fail({ provider: "META", times: 1, kind: "131047" });
    const second = await operator.client.messages.send.mutate({ conversationId, body: "vai falhar" });
    await until(async () => (await messageById(p.stack, second.id))?.status === "FAILED");
    const after = await scrape(p.stack.url);
    expect(sample(after, "elsehu_messages_total", { direction: "OUT", provider: "META", type: "text" })).toBe(2);
    expect(sample(after, "elsehu_provider_errors_total", { provider: "META", code: "131047" })).toBe(1);
    const errorLines = after.split("\n").filter((l) => l.startsWith("elsehu_provider_errors_total{"));
    const total = errorLines.reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
    expect(total).toBe(2);
  });

  it("counts campaign recipients by outcome, and the counts survive the compaction cron", async () => {
    const ground = await campaignGround(p.stack, p.sim.url);
    const campaign = await ground.draft(phones(3), 0);
    await p.admin.client.campaigns.start.mutate({ id: campaign.id });
    const text = await until(async () => {
      const t = await scrape(p.stack.url);
      return sample(t, "elsehu_campaign_messages_total", { status: "SENT" }) === 3 ? t : undefined;
    });
    expect(text).toContain("# TYPE elsehu_campaign_messages_total counter");
    // What the every-minute cron does: the worker folds the increments into one row per label set.
    await p.stack.core.db.transaction((tx) => addJob(tx, "metrics/compact_counts", {}));
    await until(async () => {
      const [r] = await p.stack.core.sql<{ rows: number; sets: number }[]>`
        select count(*)::int as rows, count(distinct (metric, labels))::int as sets from metric_counts`;
      return r && r.rows === r.sets;
    });
    const compacted = await scrape(p.stack.url);
    for (const [name, labels] of [
      ["elsehu_campaign_messages_total", { status: "SENT" }],
      ["elsehu_messages_total", { direction: "IN", provider: "META", type: "text" }],
      ["elsehu_provider_errors_total", { provider: "META", code: "131047" }],
    ] as const)
      expect(sample(compacted, name, labels)).toBe(sample(text, name, labels));
  });
});

describe("the observability profile", () => {
  it("graphs only metrics the API exposes, and Prometheus scrapes them with the metrics token", async () => {
    const stack = await startStack({ worker: false, api: { metricsToken: TOKEN, metricsCacheMs: 0 } });
    try {
      const exposed = new Set(
        (await scrape(stack.url)).split("\n").flatMap((l) => /^# TYPE (\S+) /.exec(l)?.slice(1) ?? []),
      );
      const dashboard = readFileSync(
        new URL("../../../docker/observability/grafana/dashboards/elsehu.json", import.meta.url),
        "utf8",
      );
      const exprs: string[] = JSON.parse(dashboard).panels.flatMap((panel: { targets: { expr: string }[] }) =>
        panel.targets.map((t) => t.expr),
      );
      const used = new Set(exprs.flatMap((e) => e.match(/\b(elsehu_[a-z_]+|http_[a-z_]+)\b/g) ?? []));
      for (const name of [
        "elsehu_queue_waiting",
        "elsehu_queue_oldest_wait_seconds",
        "elsehu_operators",
        "elsehu_messages_total",
        "elsehu_provider_errors_total",
        "elsehu_webhook_lag_seconds",
        "elsehu_campaign_messages_total",
        "elsehu_jobs",
      ])
        expect(used).toContain(name);
      // A counter's TYPE line names it without _total.
      for (const name of used) expect(exposed.has(name) || exposed.has(name.replace(/_total$/, ""))).toBe(true);
      const prometheus = readFileSync(new URL("../../../docker/observability/prometheus.yml", import.meta.url), "utf8");
      expect(prometheus).toMatch(/type: Bearer\s+credentials_file: \/prometheus\/metrics_token/);
    } finally {
      await stack.close();
    }
  });
});

describe("business metrics with no worker running", () => {
  it("shows the webhook lag and the jobs waiting, and serves one database read per cache period", async () => {
    const stack = await startStack({ worker: false, api: { metricsToken: TOKEN, metricsCacheMs: 60_000 } });
    try {
      const first = await scrape(stack.url);
      expect(sample(first, "elsehu_webhook_lag_seconds")).toBe(0);
      await stack.core
        .sql`insert into webhook_events (provider, body, received_at) values ('META', '{}', now() - interval '90 seconds')`;
      // Cached: the same figures until the period ends.
      expect(sample(await scrape(stack.url), "elsehu_webhook_lag_seconds")).toBe(0);
    } finally {
      await stack.close();
    }
    const fresh = await startStack({ worker: false, api: { metricsToken: TOKEN, metricsCacheMs: 0 } });
    try {
      await fresh.core
        .sql`insert into webhook_events (provider, body, received_at) values ('META', '{}', now() - interval '90 seconds')`;
      const operator = await userWithToken(fresh, "OPERATOR");
      const ws = wsClient(fresh.url, operator.token);
      await ws.client.presence.me.query();
      const text = await until(async () => {
        const t = await scrape(fresh.url);
        return (sample(t, "elsehu_jobs", { task: "conversations/assign_waiting", state: "waiting" }) ?? 0) > 0
          ? t
          : undefined;
      });
      await ws.ws.close();
      expect(sample(text, "elsehu_webhook_lag_seconds")).toBeGreaterThanOrEqual(90);
      const unauthorized = await fetch(`${fresh.url}/metrics`);
      expect(unauthorized.status).toBe(401);
    } finally {
      await fresh.close();
    }
  });
});
