import { createCoreContext, deliverMessage, dispatchTick, startCampaign } from "@elsehu/core";
import { connect, type Database, messages } from "@elsehu/db";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import {
  campaignGround,
  metaInstance,
  phones,
  recipientsOf,
  type Stack,
  silentLog,
  startStack,
  withClock,
} from "@elsehu/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, makeContact } from "./conversation-fixtures";
import { type PgProxy, startPgProxy } from "./pg-proxy";

/**
 * A send claim commits before the provider call. When Postgres commits it but the
 * answer never arrives (a restart, a dropped link), the claim still holds: the send
 * must go out once, not be left "in flight" for nobody and reported as unknown.
 */

let stack: Stack;
let sim: Simulator;
let proxy: PgProxy;
let linked: Database;

beforeAll(async () => {
  stack = await startStack({ worker: false });
  sim = await startSimulator({ statusDelayMs: 5 });
  proxy = await startPgProxy(stack.databaseUrl);
  linked = connect(proxy.url, { max: 2 });
});
afterAll(async () => {
  await linked.close();
  await proxy.close();
  await sim.close();
  await stack.close();
});

/** stack.core, but talking to Postgres through the proxy. */
const throughProxy = (now?: () => Date) => createCoreContext(linked, silentLog, stack.config, { now });

/** A started campaign of `n` recipients at one per second, on a controllable clock. */
async function runningCampaign(n: number, offset: number) {
  const { admin, draft } = await campaignGround(stack, sim.url, { timeoutMs: 1500 });
  const list = phones(n, offset);
  const campaign = await draft(list, 60);
  const clock = withClock(stack.core, new Date("2030-03-04T13:00:00Z"));
  await startCampaign(clock.ctx, admin, campaign.id);
  return { campaign, clock, list };
}

describe("a claim whose COMMIT answer is lost", () => {
  it("campaign: the claimed recipient is sent once and recorded SENT, never UNKNOWN", async () => {
    const { campaign, clock, list } = await runningCampaign(3, 8_100_000);
    const ctx = throughProxy(clock.ctx.now);

    const lostBefore = proxy.lost();
    proxy.loseNextCommitAnswer();
    const tick = await dispatchTick(ctx, campaign.id);
    expect(proxy.lost()).toBe(lostBefore + 1);
    expect(tick.state).toBe("sent");
    // Long after the stale limit, later ticks finish the campaign.
    for (let i = 0; i < 6; i++) {
      clock.advance(10_000);
      await dispatchTick(ctx, campaign.id);
    }
    const sentTo = sim.sentMessages().map((m) => `+${m.to}`);
    expect(sentTo.filter((p) => list.includes(p)).sort()).toEqual([...list].sort());
    const rows = await recipientsOf(stack.core, campaign.id);
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT", "SENT"]);
  });

  it("campaign: a COMMIT that never reached Postgres claimed nothing; the next tick sends", async () => {
    const { campaign, clock, list } = await runningCampaign(1, 8_200_000);
    // A new connection, so its first COMMIT carries its text.
    const fresh = connect(proxy.url, { max: 1 });
    try {
      const ctx = createCoreContext(fresh, silentLog, stack.config, { now: clock.ctx.now });
      proxy.dropNextCommit();
      await expect(dispatchTick(ctx, campaign.id)).rejects.toThrow();
      expect((await recipientsOf(stack.core, campaign.id)).map((r) => r.status)).toEqual(["PENDING"]);
      clock.advance(10_000);
      expect((await dispatchTick(ctx, campaign.id)).state).toBe("sent");
    } finally {
      await fresh.close();
    }
    expect(sim.sentMessages().filter((m) => `+${m.to}` === list[0])).toHaveLength(1);
    expect((await recipientsOf(stack.core, campaign.id)).map((r) => r.status)).toEqual(["SENT"]);
  });

  it("chat message: it is sent once and ends SENT, not FAILED as unknown", async () => {
    const instance = await metaInstance(stack.core, sim.url);
    const contact = await makeContact(stack.core);
    const { conversation: conv } = await arrive(stack.core, contact.id, instance.id);
    const [queued] = await stack.core.db
      .insert(messages)
      .values({ conversationId: conv.id, instanceId: instance.id, direction: "OUT", type: "text", body: "uma vez só" })
      .returning();
    if (!queued) throw new Error("no message");
    const ctx = throughProxy();

    const lostBefore = proxy.lost();
    proxy.loseNextCommitAnswer();
    await deliverMessage(ctx, queued.id);
    expect(proxy.lost()).toBe(lostBefore + 1);
    // The send job could run again (a retry): it must not send it a second time.
    await deliverMessage(ctx, queued.id);
    const [row] = await stack.core.db.select().from(messages).where(eq(messages.id, queued.id));
    expect(row?.status).toBe("SENT");
    expect(row?.errorCode).toBeNull();
    expect(sim.sentMessages().filter((m) => `+${m.to}` === contact.phone)).toHaveLength(1);
  });
});
