import { type CoreContext, storeWebhooks } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CoreFixture, metaInboundText, startCoreFixture } from "../../../packages/core/test/core-fixture";
import { startWebhookPump } from "../src/webhook-pump";

let fx: CoreFixture;
let core: CoreContext;
let claims: ReturnType<typeof connect>;

beforeAll(async () => {
  fx = await startCoreFixture("pump");
  core = fx.core;
  claims = connect(fx.url, { max: 2 });
});

afterAll(async () => {
  await claims?.close();
  await fx?.close();
});

const inbound = (from: string, id: string) => ({
  instanceId: fx.meta.id,
  provider: "META" as const,
  body: metaInboundText(from, id),
});

const stored = async (id: string) =>
  (await core.sql`select 1 from messages where provider_message_id = ${id}`).length === 1;

async function until(fn: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > ms) throw new Error(`not done within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

// Lanes that would only look again in a minute: anything sooner came from a wake-up.
const opts = { lanes: 2, batch: 50, maxAttempts: 10, pollMs: 60_000 };

describe("webhook pump", () => {
  it("applies, as it starts, what was acknowledged while no worker ran", async () => {
    await storeWebhooks(core.sql, [
      inbound("5511974000001", "wamid.PUMP-A1"),
      inbound("5511974000002", "wamid.PUMP-A2"),
    ]);
    const pump = startWebhookPump(core, claims.sql, opts);
    try {
      await until(async () => (await stored("wamid.PUMP-A1")) && (await stored("wamid.PUMP-A2")), 10_000);
    } finally {
      await pump.stop();
    }
  });

  it("is woken by the acknowledgement's commit, not by its poll", async () => {
    const pump = startWebhookPump(core, claims.sql, opts);
    try {
      // Let both lanes find the inbox empty and go to sleep.
      await new Promise((r) => setTimeout(r, 300));
      await storeWebhooks(core.sql, [inbound("5511974000003", "wamid.PUMP-B1")]);
      await until(() => stored("wamid.PUMP-B1"), 10_000);
      await storeWebhooks(core.sql, [inbound("5511974000004", "wamid.PUMP-B2")]);
      await until(() => stored("wamid.PUMP-B2"), 10_000);
    } finally {
      await pump.stop();
    }
  });

  it("applies a webhook that commits after a later one, though its claims look past a cursor", async () => {
    const pump = startWebhookPump(core, claims.sql, opts);
    try {
      const late = inbound("5511976000001", "wamid.PUMP-E1");
      await core.sql.begin(async (tx) => {
        // Stored first (lower id), committed last: another API process's write still in flight.
        await tx`insert into webhook_events (instance_id, provider, body) values (${late.instanceId}, 'META', ${late.body})`;
        await storeWebhooks(core.sql, [inbound("5511976000002", "wamid.PUMP-E2")]);
        await until(() => stored("wamid.PUMP-E2"), 10_000);
        await tx`select pg_notify('elsehu_webhooks', '')`;
      });
      await until(() => stored("wamid.PUMP-E1"), 10_000);
    } finally {
      await pump.stop();
    }
  });

  it("stops at once while its lanes are still looking for work, though they would sleep a minute", async () => {
    const pump = startWebhookPump(core, claims.sql, opts);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      pump.stop().then(() => "stopped"),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve("still running after 5 s"), 5_000);
      }),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe("stopped");
  });

  it("stops mid-batch without waiting for its poll: the batch in flight ends applied, nothing is taken after", async () => {
    const ids = Array.from({ length: 40 }, (_, n) => `wamid.PUMP-C${n}`);
    await storeWebhooks(
      core.sql,
      ids.map((id, n) => inbound(`55119750000${String(n).padStart(2, "0")}`, id)),
    );
    const pump = startWebhookPump(core, claims.sql, { ...opts, batch: 10 });
    await until(() => stored("wamid.PUMP-C0"), 10_000);
    // Lanes that go back to sleep after stop() would nap a whole minute (pollMs): past the test's timeout.
    await pump.stop();
    const [r] = await core.sql<{ claimed: number; open: number }[]>`
      select count(*) filter (where processed_at is not null)::int as claimed,
        count(*) filter (where processed_at is null)::int as open
      from webhook_events where body like '%wamid.PUMP-C%'`;
    const [m] = await core.sql<{ n: number }[]>`
      select count(*)::int as n from messages where provider_message_id like 'wamid.PUMP-C%'`;
    // Whatever was claimed was applied in full; the rest waits for the next worker.
    expect(m?.n).toBe(r?.claimed);
    await storeWebhooks(core.sql, [inbound("5511975009999", "wamid.PUMP-D1")]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await stored("wamid.PUMP-D1")).toBe(false);
  });
});
