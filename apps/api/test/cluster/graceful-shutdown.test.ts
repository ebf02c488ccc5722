import { listJobs } from "@elsehu/core";
import { metaInstance } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeInstance } from "../conversation-fixtures";
import { campaignOutcome, campaignThroughApi } from "./campaign-flow";
import { type Cluster, type ClusterProcess, clusterUser, startCluster, until } from "./harness";
import { allAssigned, connectOperators, deliveryGaps, maxEventId, openConversations } from "./operators";
import { writeResult } from "./results";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ name: "graceful", env: { SHUTDOWN_DRAIN_MS: "5000" } });
});
afterAll(async () => {
  await cluster?.close();
});

/** Reads a fetch body to the end, returning its text. */
async function drain(res: Response): Promise<string> {
  return await res.text();
}

describe("cluster: graceful shutdown", () => {
  it("SIGTERM on an API finishes the download in flight and moves its sockets to the other process", async () => {
    const [apiA, apiB] = cluster.apis;
    if (!apiA || !apiB) throw new Error("two APIs expected");
    const admin = await clusterUser(cluster, "ADMIN", apiA.url);
    const instance = await makeInstance(cluster.core);
    const ops = await connectOperators(cluster, 4);
    const onA = ops.filter((o) => o.firstUrl === apiA.url);
    const startId = await maxEventId(cluster);

    // A results file big enough to still be streaming when the signal arrives (the client reads it late).
    const rows = 40_000;
    const simInstance = await metaInstance(cluster.core, cluster.sim.url);
    const flow = await campaignThroughApi({
      apiUrl: apiA.url,
      token: admin.token,
      instanceId: simInstance.id,
      recipients: 1,
      offset: 4_300_000,
      pacePerMinute: 60,
    });
    await cluster.core.sql`
      insert into campaign_recipients (campaign_id, phone, status)
      select ${flow.campaignId}, '+5521' || (900000000 + g)::text, 'PENDING' from generate_series(1, ${rows - 1}) g`;
    const download = await fetch(`${apiA.url}/campaigns/${flow.campaignId}/results.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(download.status).toBe(200);

    const termAt = Date.now();
    apiA.child.kill("SIGTERM");
    // Raised while A drains: A's operators must get them, from A or from B after the move.
    const convs = await openConversations(cluster, instance.id, 8);
    await allAssigned(cluster, convs);
    const body = await drain(download);
    const exit = await apiA.exited();
    await until(() => onA.every((o) => o.state.opens.some((x) => x.at > termAt)), 15_000, "sockets moved");
    const recoveryMs = Math.max(...onA.map((o) => (o.state.opens.find((x) => x.at > termAt)?.at ?? 0) - termAt));
    let gaps = await deliveryGaps(cluster, ops, startId);
    const end = Date.now() + 10_000;
    while (gaps.lost > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      gaps = await deliveryGaps(cluster, ops, startId);
    }
    const lines = body.split("\r\n").filter(Boolean).length - 1;
    const presence = await cluster.core.sql<{ presence: string }[]>`select presence from users where role = 'OPERATOR'`;

    writeResult({
      scenario: "graceful-api",
      title: "SIGTERM an API process (download in flight, operators connected)",
      promise:
        "the request in flight completes; its sockets are told to reconnect and move to the other process without missing an event",
      lost: gaps.lost + (rows - lines),
      duplicated: gaps.duplicated,
      recoveryMs,
      details: { csvRowsExpected: rows, csvRowsReceived: lines, exit, operatorsMoved: onA.length },
    });

    expect(lines).toBe(rows);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(gaps.lost).toBe(0);
    expect(gaps.duplicated).toBe(0);
    for (const o of onA) expect(o.state.opens.at(-1)?.url).toBe(apiB.url);
    expect(presence.every((p) => p.presence === "ONLINE")).toBe(true);
    for (const o of ops) o.ws.close();
  }, 120_000);

  it("SIGTERM on a worker during a campaign tick lets the tick finish: nothing left SENDING or UNKNOWN, nothing sent twice", async () => {
    const api = cluster.apis[1]?.url ?? "";
    const admin = await clusterUser(cluster, "ADMIN", api);
    const instance = await metaInstance(cluster.core, cluster.sim.url, { timeoutMs: 3000 });
    const flow = await campaignThroughApi({
      apiUrl: api,
      token: admin.token,
      instanceId: instance.id,
      recipients: 24,
      offset: 4_200_000,
      pacePerMinute: 300,
    });
    await flow.admin.campaigns.start.mutate({ id: flow.campaignId });
    const mine = () => cluster.sim.sentMessages().filter((m) => flow.phones.includes(`+${m.to}`)).length;
    await until(() => mine() >= 4, 30_000, "first sends");
    const victim = await until(async () => {
      const rows = await listJobs(cluster.core, { task: "campaigns/dispatch_tick" });
      return cluster.workers.find(
        (w: ClusterProcess) => w.alive && rows.some((r) => r.lockedBy !== null && w.workerIds.includes(r.lockedBy)),
      );
    }, 10_000);
    const termAt = Date.now();
    const exit = await victim.stop("SIGTERM");
    const stopMs = Date.now() - termAt;
    await until(
      async () => (await flow.admin.campaigns.get.query({ id: flow.campaignId })).status === "COMPLETED",
      60_000,
      "campaign completed",
    );
    const out = await campaignOutcome(cluster, flow.campaignId, flow.phones);
    writeResult({
      scenario: "graceful-worker",
      title: "SIGTERM a worker during a campaign tick",
      promise: "the running tick finishes (or is returned); no recipient left SENDING or UNKNOWN; none sent twice",
      lost: out.lost + out.phantom + out.unrecorded + out.unknown.length,
      duplicated: out.duplicated,
      recoveryMs: null,
      details: { recipients: flow.phones.length, statuses: out.statuses, exit, stoppedIn: stopMs },
    });

    expect(exit).toEqual({ code: 0, signal: null });
    expect(out.duplicated).toBe(0);
    expect(out.lost).toBe(0);
    expect(out.unknown).toHaveLength(0);
    expect(out.statuses).toEqual({ SENT: flow.phones.length });
  }, 120_000);
});
