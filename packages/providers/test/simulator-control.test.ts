import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetaAdapter, parseMetaWebhook } from "../src";
import { type Simulator, startSimulator } from "../src/simulator";
import { eventually, startTestServer, type TestServer } from "./helpers";

let receiver: TestServer;
let sim: Simulator;

beforeAll(async () => {
  receiver = await startTestServer();
  sim = await startSimulator({ autoStatuses: false });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("simulator control endpoints", () => {
  it("lets another process set targets, inject, fail, inspect and reset over HTTP", async () => {
    const target = await post("/_sim/webhook-target", {
      provider: "META",
      url: `${receiver.url}/hook`,
      appSecret: "x",
    });
    expect(target.status).toBe(200);

    const inbound = await post("/_sim/inbound", { provider: "META", from: "5511987654321", body: "oi" });
    expect(await inbound.json()).toEqual({ status: 200 });
    await eventually(() => expect(receiver.requests).toHaveLength(1));
    expect(parseMetaWebhook(receiver.requests[0]?.json)[0]?.events[0]).toMatchObject({ body: "oi" });

    expect((await post("/_sim/fail", { provider: "META", times: 1, kind: "500" })).status).toBe(200);
    const meta = new MetaAdapter({ phoneNumberId: "1", accessToken: "t", appSecret: "x", baseUrl: sim.url });
    await expect(meta.sendText("+5511987654321", "a")).rejects.toMatchObject({ retryable: true });
    await meta.sendText("+5511987654321", "b");

    const log = (await (await fetch(`${sim.url}/_sim/received`)).json()) as Array<{ path: string }>;
    expect(log.map((r) => r.path)).toEqual(["/v23.0/1/messages", "/v23.0/1/messages"]);
    const sent = (await (await fetch(`${sim.url}/_sim/sent`)).json()) as unknown[];
    expect(sent).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);

    expect((await post("/_sim/fail", { times: 0, kind: "nope" })).status).toBe(400);
    await post("/_sim/reset", {});
    expect(sim.received).toHaveLength(0);
    expect(sim.sentMessages()).toHaveLength(0);
  });
});
