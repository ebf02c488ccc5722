import { type Stack, silentLog, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi } from "../src/server";
import { userRow, waitFor } from "./conversation-fixtures";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, api: { presence: { graceSeconds: 1, sweepMs: 200, heartbeatMs: 500 } } });
});
afterAll(async () => {
  await stack.close();
});

const presenceOf = async (id: string) => (await userRow(stack.core, id)).presence;

describe("presence", () => {
  it("is ONLINE while a socket is open, survives one of two sockets closing, and goes OFFLINE after the grace period", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    expect(await presenceOf(op.user.id)).toBe("OFFLINE");
    const s1 = wsClient(stack.url, op.token);
    const s2 = wsClient(stack.url, op.token);
    await waitFor(async () => (await presenceOf(op.user.id)) === "ONLINE");
    await waitFor(async () => {
      const [r] = await stack.core.sql<
        { n: number }[]
      >`select count(*)::int as n from presence_connections where user_id = ${op.user.id}`;
      return r?.n === 2;
    });
    void s1.ws.close();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await presenceOf(op.user.id)).toBe("ONLINE");
    void s2.ws.close();
    await waitFor(async () => (await presenceOf(op.user.id)) === "OFFLINE");
  });

  it("lets an operator pause with a reason and come back; supervisors see it on the board and live", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const sup = await userWithToken(stack, "SUPERVISOR");
    const supWs = wsClient(stack.url, sup.token);
    const seen: Array<{ userId: unknown; presence: unknown }> = [];
    const sub = supWs.client.events.onPresence.subscribe(
      {},
      { onData: (d) => seen.push({ userId: d.data.payload.userId, presence: d.data.payload.presence }) },
    );
    // Before connecting, a status change is refused.
    await expect(op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "almoço" })).rejects.toThrow(
      /Connect/,
    );
    const opWs = wsClient(stack.url, op.token);
    await waitFor(async () => (await presenceOf(op.user.id)) === "ONLINE");
    await expect(op.client.presence.setStatus.mutate({ status: "PAUSED" })).rejects.toThrow(/reason/);
    await op.client.presence.setStatus.mutate({ status: "PAUSED", reason: "treinamento" });
    const board = await sup.client.presence.board.query();
    const row = board.find((b) => b.userId === op.user.id);
    expect(row?.presence).toBe("PAUSED");
    expect(row?.pauseReason).toBe("treinamento");
    expect(row?.openCount).toBe(0);
    expect(row?.sockets).toBe(1);
    await expect(op.client.presence.board.query()).rejects.toThrow();
    await op.client.presence.setStatus.mutate({ status: "ONLINE" });
    await waitFor(async () =>
      ["ONLINE", "PAUSED", "ONLINE"].every((p, i) => seen.filter((s) => s.userId === op.user.id)[i]?.presence === p),
    );
    sub.unsubscribe();
    void opWs.ws.close();
    void supWs.ws.close();
  });

  it("stops counting the sockets of an API process that died once its heartbeat is stale", async () => {
    // A second API process on the same database; it "crashes" without cleaning up.
    const other = await startApi({
      databaseUrl: stack.databaseUrl,
      port: 0,
      log: silentLog,
      config: stack.config,
      presence: { graceSeconds: 1, sweepMs: 200, heartbeatMs: 500 },
    });
    const op = await userWithToken(stack, "OPERATOR");
    const s = wsClient(other.url, op.token);
    await waitFor(async () => (await presenceOf(op.user.id)) === "ONLINE");
    await other.kill();
    void s.ws.close();
    // The connection row is still there, but the node stops beating: make it look 60 s old.
    await stack.core
      .sql`update api_nodes set heartbeat_at = now() - interval '60 seconds' where id = ${other.presence.nodeId}`;
    await stack.core.sql`update users set last_seen_at = now() - interval '60 seconds' where id = ${op.user.id}`;
    await waitFor(async () => (await presenceOf(op.user.id)) === "OFFLINE");
  });
});
