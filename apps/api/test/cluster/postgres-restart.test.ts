import { httpClient, metaInstance } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeInstance } from "../conversation-fixtures";
import { campaignOutcome, campaignThroughApi } from "./campaign-flow";
import { type Cluster, clusterUser, until } from "./harness";
import { allAssigned, connectOperators, deliveryGaps, maxEventId, openConversations } from "./operators";
import { clusterOnOwnPostgres, probe } from "./own-postgres";
import { writeResult } from "./results";

let cluster: Cluster;
let own: Awaited<ReturnType<typeof clusterOnOwnPostgres>>;

beforeAll(async () => {
  own = await clusterOnOwnPostgres("pg-restart");
  cluster = own.cluster;
}, 120_000);
afterAll(async () => {
  await own?.close();
});

describe("cluster: Postgres restarted under load", () => {
  it("every process reconnects by itself, calls during the outage fail fast, and the campaign ends with no double send", async () => {
    const urls = cluster.apis.map((a) => a.url);
    const admin = await clusterUser(cluster, "ADMIN", urls[0] ?? "");
    const convInstance = await makeInstance(cluster.core);
    const ops = await connectOperators(cluster, 2);
    const instance = await metaInstance(cluster.core, cluster.sim.url, { timeoutMs: 1500 });
    const flow = await campaignThroughApi({
      apiUrl: urls[0] ?? "",
      token: admin.token,
      instanceId: instance.id,
      recipients: 30,
      offset: 4_400_000,
      pacePerMinute: 300,
    });
    await flow.admin.campaigns.start.mutate({ id: flow.campaignId });
    const mine = () => cluster.sim.sentMessages().filter((m) => flow.phones.includes(`+${m.to}`)).length;
    await until(() => mine() >= 4, 30_000, "first sends");

    // Our own pool must not hold dead connections across the restart either.
    const downAt = Date.now();
    await own.stopPostgres();
    const during = {
      readyz: await Promise.all(urls.map((u) => probe(`${u}/readyz`))),
      trpc: await Promise.all(
        urls.map((u) =>
          probe(`${u}/trpc/campaigns.get?input=${encodeURIComponent(JSON.stringify({ id: flow.campaignId }))}`, {
            headers: { authorization: `Bearer ${admin.token}` },
          }),
        ),
      ),
      login: await probe(`${urls[1]}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: admin.email, password: admin.password }),
      }),
    };
    const outageMs = Date.now() - downAt;
    await new Promise((r) => setTimeout(r, 1500));
    await own.startPostgres();
    const upAt = Date.now();
    await until(
      async () => (await Promise.all(urls.map((u) => probe(`${u}/readyz`, {}, 2000)))).every((s) => s === 200),
      60_000,
      "APIs ready again",
    );
    const readyAfterMs = Date.now() - upAt;
    await until(
      async () =>
        (await httpClient(urls[1] ?? "", admin.token).campaigns.get.query({ id: flow.campaignId })).status ===
        "COMPLETED",
      90_000,
      "campaign completed",
    );
    const campaignDoneMs = Date.now() - upAt;
    // Realtime still flows after the restart: the hubs' LISTEN connections came back.
    const afterId = await maxEventId(cluster);
    await allAssigned(cluster, await openConversations(cluster, convInstance.id, 4));
    let gaps = await deliveryGaps(cluster, ops, afterId);
    const end = Date.now() + 10_000;
    while (gaps.lost > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      gaps = await deliveryGaps(cluster, ops, afterId);
    }
    const out = await campaignOutcome(cluster, flow.campaignId, flow.phones);
    const alive = [...cluster.apis, ...cluster.workers].map((p) => ({ name: p.name, alive: p.alive }));

    writeResult({
      scenario: "postgres-restart",
      title: "Restart Postgres under load (campaign running, operators connected)",
      promise:
        "every process reconnects by itself; requests during the outage fail fast with a clear status; the campaign completes with no double send; realtime resumes",
      lost: out.lost + out.phantom + out.unrecorded + gaps.lost,
      duplicated: out.duplicated + gaps.duplicated,
      recoveryMs: readyAfterMs,
      details: {
        duringOutage: during,
        outageProbesTookMs: outageMs,
        campaignCompletedAfterMs: campaignDoneMs,
        statuses: out.statuses,
        unknownBecauseCutMidCall: out.unknown.length,
        processes: alive,
      },
    });

    expect(alive.every((p) => p.alive)).toBe(true);
    expect(during.readyz).toEqual([503, 503]);
    for (const s of [...during.trpc, during.login]) expect(typeof s === "number" && s >= 500).toBe(true);
    expect(out.duplicated).toBe(0);
    expect(out.lost).toBe(0);
    expect(out.phantom).toBe(0);
    expect(out.unrecorded).toBe(0);
    expect(gaps.lost).toBe(0);
    for (const o of ops) o.ws.close();
  }, 240_000);
});
