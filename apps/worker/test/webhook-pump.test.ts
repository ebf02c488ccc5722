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

  it("takes nothing more once stopped", async () => {
    const pump = startWebhookPump(core, claims.sql, opts);
    await new Promise((r) => setTimeout(r, 100));
    await pump.stop();
    await storeWebhooks(core.sql, [inbound("5511974000005", "wamid.PUMP-C1")]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored("wamid.PUMP-C1")).toBe(false);
  });
});
