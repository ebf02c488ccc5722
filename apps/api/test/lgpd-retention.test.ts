import { backdateCrontab } from "@elsehu/core";
import { type Stack, silentLog, startStack, startWorker, type WorkerHandle } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./conversation-fixtures";

/**
 * LGPD retention: processed webhook bodies (phones, names, texts) are deleted
 * after WEBHOOK_RETENTION_DAYS by the worker's own crontab. The worker here
 * runs the real graphile-worker cron: its purge item was due an hour ago while
 * no worker ran, so the backfill runs it at start.
 */
let stack: Stack;
let worker: WorkerHandle | null = null;

beforeAll(async () => {
  stack = await startStack({ worker: false, config: { webhookRetentionDays: 30 } });
});
afterAll(async () => {
  await worker?.stop();
  await stack.close();
});

const workerOptions = (cron: boolean) => ({
  databaseUrl: stack.databaseUrl,
  log: silentLog,
  config: stack.config,
  pollIntervalMs: 200,
  cron,
});

async function webhook(body: string, processedDaysAgo: number | null) {
  const [row] = await stack.core.sql<{ id: string }[]>`
    insert into webhook_events (provider, body, received_at, processed_at)
    values ('META', ${body}, now() - interval '45 days',
      ${processedDaysAgo === null ? null : new Date(Date.now() - processedDaysAgo * 86_400_000).toISOString()}::timestamptz)
    returning id`;
  return String(row?.id);
}

/** An outbound delivery of a customer's message, `daysAgo` old, in `status`. */
async function delivery(endpointId: string, status: string, daysAgo: number) {
  const [row] = await stack.core.sql<{ id: string }[]>`
    insert into webhook_deliveries (endpoint_id, type, lane, data, status, created_at)
    values (${endpointId}, 'message.received', 'c1', ${JSON.stringify({ text: "meu cpf é 123" })}::jsonb, ${status},
      now() - make_interval(days => ${daysAgo}))
    returning id`;
  return String(row?.id);
}
const deliveryExists = async (id: string) =>
  (await stack.core.sql`select 1 from webhook_deliveries where id = ${id}`).length === 1;

const exists = async (id: string) => (await stack.core.sql`select 1 from webhook_events where id = ${id}`).length === 1;

describe("webhook retention", () => {
  it("the worker's cron deletes processed bodies and settled outbound deliveries older than WEBHOOK_RETENTION_DAYS, and keeps the rest", async () => {
    const old = await webhook('{"from":"+5511987650000","text":"meu cpf é 123"}', 31);
    const recent = await webhook('{"from":"+5511987650001","text":"oi"}', 29);
    const [endpoint] = await stack.core.sql<{ id: string }[]>`
      insert into webhook_endpoints (url, event_types, secret_encrypted)
      values ('https://crm.example.com/hook', '{message.received}', 'sealed') returning id`;
    const endpointId = String(endpoint?.id);
    const oldDelivered = await delivery(endpointId, "SUCCEEDED", 31);
    const oldFailed = await delivery(endpointId, "FAILED", 31);
    const oldPending = await delivery(endpointId, "PENDING", 31);
    const recentDelivered = await delivery(endpointId, "SUCCEEDED", 29);
    // A first run installs graphile-worker's schema; then the purge item is made known since 3 h ago.
    await (await startWorker(workerOptions(false))).stop();
    await backdateCrontab(stack.core, "webhooks_purge_processed", new Date(Date.now() - 3 * 3600_000));
    expect(await exists(old)).toBe(true);
    worker = await startWorker(workerOptions(true));
    await waitFor(async () => !(await exists(old)), 60_000);
    expect(await exists(recent)).toBe(true);
    // Outbound deliveries carry the same data: settled ones past the retention go (the purge's next statement,
    // which a loaded CI saw after the webhooks'), the rest stay.
    await waitFor(async () => !(await deliveryExists(oldDelivered)), 60_000);
    expect(await deliveryExists(oldFailed)).toBe(false);
    expect(await deliveryExists(oldPending)).toBe(true);
    expect(await deliveryExists(recentDelivered)).toBe(true);
    const left = await stack.core.sql`select body from webhook_events where body like '%5511987650000%'`;
    expect(left).toHaveLength(0);
  });
});
