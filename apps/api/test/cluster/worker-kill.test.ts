import { listJobs, WORKER_DIED } from "@elsehu/core";
import { httpClient, metaInstance } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignOutcome, campaignThroughApi } from "./campaign-flow";
import { type Cluster, type ClusterProcess, clusterUser, readLogs, startCluster, until } from "./harness";
import { writeResult } from "./results";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ name: "worker-kill", simulator: { hangMs: 4000 } });
});
afterAll(async () => {
  await cluster?.close();
});

/** The worker process holding the campaign's tick job right now (graphile's lock names the worker id). */
async function holderOfTick(): Promise<ClusterProcess | undefined> {
  const rows = await listJobs(cluster.core, { task: "campaigns/dispatch_tick" });
  return cluster.workers.find(
    (w) => w.alive && rows.some((r) => r.lockedBy !== null && w.workerIds.includes(r.lockedBy)),
  );
}

describe("cluster: a worker SIGKILLed in the middle of a campaign", () => {
  it("sends no recipient twice, accounts for every one, and the survivors finish the campaign", async () => {
    const api1 = cluster.apis[0]?.url ?? "";
    const api2 = cluster.apis[1]?.url ?? "";
    const admin = await clusterUser(cluster, "ADMIN", api1);
    const instance = await metaInstance(cluster.core, cluster.sim.url, { timeoutMs: 3000 });
    const flow = await campaignThroughApi({
      apiUrl: api1,
      token: admin.token,
      instanceId: instance.id,
      recipients: 24,
      offset: 4_100_000,
      pacePerMinute: 300,
    });
    await flow.admin.campaigns.start.mutate({ id: flow.campaignId });

    await until(() => cluster.sim.sentMessages().length >= 4, 30_000, "first sends");
    // The next provider call hangs; the worker making it is killed while it is in flight.
    cluster.sim.fail({ kind: "timeout", times: 1 });
    const calls = () => cluster.sim.received.filter((r) => r.method === "POST" && r.path.endsWith("/messages")).length;
    const before = calls();
    await until(() => calls() > before, 10_000, "hanging call");
    const victim = await until(holderOfTick, 5_000, "tick holder");
    const killedAt = Date.now();
    await victim.kill9();
    const replacement = await cluster.spawn("worker", "worker-3");

    await until(
      async () => {
        const c = await httpClient(api2, admin.token).campaigns.get.query({ id: flow.campaignId });
        return c.status === "COMPLETED";
      },
      60_000,
      "campaign completed",
    );
    const firstAfter = cluster.sim
      .sentMessages()
      .map((m) => m.at.getTime())
      .filter((t) => t > killedAt)
      .sort((a, b) => a - b)[0];
    const out = await campaignOutcome(cluster, flow.campaignId, flow.phones);
    writeResult({
      scenario: "worker-kill-campaign",
      title: "SIGKILL a worker mid-campaign, start a new one",
      promise: "no recipient sent twice; every recipient in a terminal state; the campaign completes",
      lost: out.lost + out.phantom + out.unrecorded,
      duplicated: out.duplicated,
      recoveryMs: firstAfter ? firstAfter - killedAt : null,
      details: {
        recipients: flow.phones.length,
        providerAccepted: out.sentTo.length,
        statuses: out.statuses,
        unknownBecauseKilledMidCall: out.unknown.length,
        killed: victim.name,
        replacement: replacement.name,
      },
    });

    expect(out.duplicated).toBe(0);
    expect(out.lost).toBe(0);
    expect(out.phantom).toBe(0);
    expect(out.unrecorded).toBe(0);
    expect(out.rows).toHaveLength(flow.phones.length);
    // Exactly the call that was in flight is UNKNOWN (never retried: it may have gone out).
    expect(out.unknown.map((u) => u.reason)).toEqual([WORKER_DIED]);
    expect(out.sentTo.length + out.unknown.length).toBe(flow.phones.length);
    // Only the dead worker's jobs were ever force-unlocked: live workers' long ticks keep their locks.
    const unlocked = readLogs(cluster)
      .filter((l) => l.line.msg === "unlocked jobs of dead workers")
      .flatMap((l) => (Array.isArray(l.line.workers) ? l.line.workers.map(String) : []));
    expect(unlocked.length).toBeGreaterThan(0);
    expect(unlocked.every((id) => victim.workerIds.includes(id))).toBe(true);
  }, 150_000);
});
