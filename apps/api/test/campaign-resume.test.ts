import {
  ensureStillOurs,
  listJobs,
  plantJobLock,
  resumeStalledCampaigns,
  scheduleTick,
  tickJobKey,
} from "@elsehu/core";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { campaignGround, phones, type Stack, startStack } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "./pipeline-helpers";

/**
 * A Postgres restart can lose a campaign's dispatch tick (a replaced job runner's
 * tick completes a job another runner had taken up again). The worker's cron then
 * resumes it: a running campaign never waits forever for a tick that is gone.
 */
let stack: Stack;
let sim: Simulator;
let campaignOf: (n: number, offset: number, status: string) => Promise<{ id: string; list: string[] }>;

beforeAll(async () => {
  stack = await startStack({ worker: true });
  sim = await startSimulator({ statusDelayMs: 5 });
  const ground = await campaignGround(stack, sim.url);
  campaignOf = async (n, offset, status) => {
    const list = phones(n, offset);
    const c = await ground.draft(list, 0);
    // As a lost tick leaves it: the status says it runs, no job will run it.
    await stack.core
      .sql`update campaigns set status = ${status}::campaign_status, started_at = now(), next_send_at = now()
      where id = ${c.id}`;
    return { id: c.id, list };
  };
});
afterAll(async () => {
  await sim.close();
  await stack.close();
});

const sentTo = (list: string[]) => sim.sentMessages().filter((m) => list.includes(`+${m.to}`));
const statusOf = async (id: string) =>
  (await stack.core.sql<{ status: string }[]>`select status from campaigns where id = ${id}`)[0]?.status;
const tickRunAt = async (id: string) => (await listJobs(stack.core, { key: tickJobKey(id) }))[0]?.runAt.toISOString();

describe("campaigns whose dispatch tick was lost", () => {
  it("are resumed and complete, each recipient sent once", async () => {
    const stalled = await campaignOf(3, 8_300_000, "RUNNING");
    await new Promise((r) => setTimeout(r, 1000));
    expect(sentTo(stalled.list)).toHaveLength(0);

    expect(await resumeStalledCampaigns(stack.core)).toEqual([stalled.id]);
    await until(async () => (await statusOf(stalled.id)) === "COMPLETED", 20_000);
    expect(
      sentTo(stalled.list)
        .map((m) => `+${m.to}`)
        .sort(),
    ).toEqual([...stalled.list].sort());
  });

  it("leave alone a campaign whose tick is waiting, and campaigns that are not running", async () => {
    const waiting = await campaignOf(1, 8_400_000, "RUNNING");
    const later = new Date(Date.now() + 3_600_000);
    await stack.core.db.transaction((tx) => scheduleTick(tx, waiting.id, later));
    const before = await tickRunAt(waiting.id);
    const paused = await campaignOf(1, 8_500_000, "PAUSED");

    const resumed = await resumeStalledCampaigns(stack.core);
    expect(resumed).not.toContain(waiting.id);
    expect(resumed).not.toContain(paused.id);
    expect(await tickRunAt(waiting.id)).toBe(before);
    expect(await tickRunAt(paused.id)).toBeUndefined();
    expect(sentTo([...waiting.list, ...paused.list])).toHaveLength(0);
  });
});

describe("a tick whose job another runner took up", () => {
  it("refuses to complete it (which would delete the campaign's next tick), and completes its own", async () => {
    const { id: campaignId } = await campaignOf(1, 8_600_000, "PAUSED");
    // Far enough ahead that the test's worker leaves it alone.
    await stack.core.db.transaction((tx) => scheduleTick(tx, campaignId, new Date(Date.now() + 3_600_000)));
    const lock = (by: string | null) => plantJobLock(stack.core, { key: tickJobKey(campaignId) }, { lockedBy: by });
    const [job] = await lock("pool-old");
    const mine = { id: job ?? "", locked_by: "pool-old" };
    await expect(ensureStillOurs(stack.core, mine)).resolves.toBeUndefined();
    await lock("pool-new");
    await expect(ensureStillOurs(stack.core, mine)).rejects.toThrow(/taken over/);
    // Unlocked by the heartbeat, not yet taken: it may carry the next tick, so it is not ours to delete either.
    await lock(null);
    await expect(ensureStillOurs(stack.core, mine)).rejects.toThrow(/taken over/);
    expect(await tickRunAt(campaignId)).toBeDefined();
  });
});
