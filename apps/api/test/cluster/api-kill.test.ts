import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeInstance } from "../conversation-fixtures";
import { type Cluster, startCluster, until } from "./harness";
import { allAssigned, connectOperators, deliveryGaps, maxEventId, openConversations } from "./operators";
import { writeResult } from "./results";

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ name: "api-kill" });
});
afterAll(async () => {
  await cluster?.close();
});

describe("cluster: an API process SIGKILLed with operators connected", () => {
  it("moves its operators to the other process, which replays every event they missed; presence and assignments hold", async () => {
    const [apiA, apiB] = cluster.apis;
    if (!apiA || !apiB) throw new Error("two APIs expected");
    const instance = await makeInstance(cluster.core);
    // The first reconnect waits 2.5 s, so events are certainly raised while the sockets are down.
    const ops = await connectOperators(cluster, 4, (attempt) => (attempt === 0 ? 2500 : 200));
    const startId = await maxEventId(cluster);

    const before = await allAssigned(cluster, await openConversations(cluster, instance.id, 4));
    const onA = ops.filter((o) => o.firstUrl === apiA.url);
    await until(
      () => ops.every((o) => o.received.some((r) => r.kind === "conversation.assigned")) || undefined,
      15_000,
    );

    const killedAt = Date.now();
    await apiA.kill9();
    // Raised while A's operators have no socket: the workers keep assigning to them (they are still online).
    const during = await openConversations(cluster, instance.id, 8);
    const after = await allAssigned(cluster, during);

    await until(() => onA.every((o) => o.state.opens.some((x) => x.at > killedAt)), 20_000, "reconnected");
    const recoveryMs = Math.max(...onA.map((o) => (o.state.opens.find((x) => x.at > killedAt)?.at ?? 0) - killedAt));
    // Let the replays land, then compare against the events table.
    let gaps = await deliveryGaps(cluster, ops, startId);
    const end = Date.now() + 10_000;
    while (gaps.lost > 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      gaps = await deliveryGaps(cluster, ops, startId);
    }
    const presence = await cluster.core.sql<{ id: string; presence: string }[]>`
      select id, presence from users where role = 'OPERATOR'`;
    const wentOffline = await cluster.core.sql`
      select 1 from events where kind = 'presence.changed' and id > ${startId} and payload->>'presence' = 'OFFLINE'`;
    const unchanged = await allAssigned(
      cluster,
      before.map((b) => b.id),
    );
    const moved = unchanged.filter((u) => before.find((b) => b.id === u.id)?.operator_id !== u.operator_id);
    // Events meant for A's operators that were committed between the kill and their reconnect.
    let missedWhileDown = 0;
    for (const o of onA) {
      const back = o.state.opens.find((x) => x.at > killedAt)?.at ?? 0;
      const rows = await cluster.core.sql`
        select 1 from events where kind like 'conversation.%' and user_id = ${o.user.id}
          and created_at > ${new Date(killedAt).toISOString()}::timestamptz and created_at < ${new Date(back).toISOString()}::timestamptz`;
      missedWhileDown += rows.length;
    }

    writeResult({
      scenario: "api-kill-operators",
      title: "SIGKILL an API process with operators connected",
      promise:
        "its operators reconnect to the other process and receive every event they missed; presence stays ONLINE; assignments unchanged",
      lost: gaps.lost,
      duplicated: gaps.duplicated,
      recoveryMs,
      details: {
        operators: ops.length,
        operatorsOnKilledApi: onA.length,
        conversationEvents: gaps.total,
        eventsRaisedWhileDisconnected: missedWhileDown,
        assignedDuringOutage: after.length,
        wentOffline: wentOffline.length,
        assignmentsMoved: moved.length,
        perOperator: gaps.perOperator.map(({ missing, ...rest }) => ({ ...rest, missing: missing.length })),
      },
    });

    expect(gaps.lost).toBe(0);
    expect(gaps.duplicated).toBe(0);
    expect(missedWhileDown).toBeGreaterThan(0);
    for (const o of onA) expect(o.state.opens.at(-1)?.url).toBe(apiB.url);
    expect(presence.every((p) => p.presence === "ONLINE")).toBe(true);
    expect(wentOffline).toHaveLength(0);
    expect(moved).toHaveLength(0);
    for (const o of ops) o.ws.close();
  }, 120_000);
});
