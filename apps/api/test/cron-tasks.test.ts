import { backdateCrontab, listJobs, removeJobs } from "@elsehu/core";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import {
  campaignGround,
  phones,
  type Stack,
  silentLog,
  startStack,
  startWorker,
  userWithToken,
  type WorkerHandle,
} from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, makeContact, makeInstance } from "./conversation-fixtures";

/**
 * The every-minute safety nets run by the worker's real crontab (graphile-worker's cron,
 * the lines of `tasks/catalog.ts`), not by calling their core verbs: each line is made
 * known since five minutes ago, as a worker down that long leaves it, so the worker
 * started here backfills the last minute's run of each at once. Outcomes are read over
 * tRPC, as the console reads them. The API's own presence sweep is kept out of the way
 * (one sweep a day), so only the cron can turn the operator offline.
 */
let stack: Stack;
let sim: Simulator;
let worker: WorkerHandle | null = null;
let admin: Awaited<ReturnType<typeof userWithToken>>;

const LINES = ["conversations_expire_idle", "campaigns_resume_stalled", "presence_sweep"];

beforeAll(async () => {
  stack = await startStack({ worker: false, api: { presence: { sweepMs: 86_400_000 } } });
  sim = await startSimulator({ statusDelayMs: 5 });
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await worker?.stop();
  await sim.close();
  await stack.close();
});

const workerOptions = (cron: boolean) => ({
  databaseUrl: stack.databaseUrl,
  log: silentLog,
  config: stack.config,
  pollIntervalMs: 200,
  cron,
});

describe("the worker's crontab", () => {
  /** The operator's presence on the supervisors' board. */
  const presenceOf = async (userId: string) =>
    (await admin.client.presence.board.query()).find((u) => u.userId === userId)?.presence;

  it("expires a conversation idle for 24 h, resumes a campaign that lost its tick and turns off an operator whose sockets are gone", {
    timeout: 120_000,
  }, async () => {
    const supervisor = await userWithToken(stack, "SUPERVISOR");

    // A conversation whose customer wrote last 25 hours ago, and one who wrote an hour ago.
    const instance = await makeInstance(stack.core);
    const idle = (await arrive(stack.core, (await makeContact(stack.core)).id, instance.id)).conversation;
    const fresh = (await arrive(stack.core, (await makeContact(stack.core)).id, instance.id)).conversation;
    await stack.core.sql`update conversations set created_at = now() - interval '25 hours',
      queued_at = now() - interval '25 hours', last_inbound_at = now() - interval '25 hours' where id = ${idle.id}`;
    await stack.core.sql`update conversations set last_inbound_at = now() - interval '1 hour' where id = ${fresh.id}`;

    // A running campaign whose tick job is gone (as a lost tick leaves it).
    const ground = await campaignGround(stack, sim.url);
    const list = phones(2, 8_600_000);
    const campaign = await ground.draft(list, 0);
    await stack.core.sql`update campaigns set status = 'RUNNING', started_at = now(), next_send_at = now()
      where id = ${campaign.id}`;

    // A first worker installs graphile-worker's schema; the lines are then known since 5 minutes ago.
    await (await startWorker(workerOptions(false))).stop();
    // The arrivals' assignment jobs, when that worker stopped before running them, would give the idle
    // conversation to the operator made below before the expiry ran (a loaded CI did): they go.
    await removeJobs(
      stack.core,
      (await listJobs(stack.core, { task: "conversations/assign_waiting" })).map((j) => j.id),
    );
    for (const line of LINES) await backdateCrontab(stack.core, line, new Date(Date.now() - 5 * 60_000));
    // (Made after the first worker, which would have given him the waiting conversations.)
    // An operator left ONLINE by an API process that died: no live socket, last seen 2 minutes ago.
    const operator = await userWithToken(stack, "OPERATOR");
    await stack.core.sql`update users set presence = 'ONLINE', last_seen_at = now() - interval '2 minutes'
      where id = ${operator.user.id}`;
    // Nothing ran them yet.
    expect(await presenceOf(operator.user.id)).toBe("ONLINE");
    expect((await supervisor.client.conversations.get.query({ id: idle.id })).status).toBe("WAITING");
    expect((await admin.client.campaigns.stats.query({ id: campaign.id })).sent).toBe(0);

    worker = await startWorker(workerOptions(true));

    await expect
      .poll(async () => (await supervisor.client.conversations.get.query({ id: idle.id })).status)
      .toBe("EXPIRED");
    // The customer who wrote an hour ago still has his conversation (waiting, or given to the operator).
    expect((await supervisor.client.conversations.get.query({ id: fresh.id })).status).not.toBe("EXPIRED");

    await expect
      .poll(async () => (await admin.client.campaigns.stats.query({ id: campaign.id })).status)
      .toBe("COMPLETED");
    expect(await admin.client.campaigns.stats.query({ id: campaign.id })).toMatchObject({ sent: 2, pending: 0 });
    expect(
      sim
        .sentMessages()
        .map((m) => `+${m.to}`)
        .sort(),
    ).toEqual([...list].sort());

    await expect.poll(async () => await presenceOf(operator.user.id)).toBe("OFFLINE");
  });
});
