import { silentLog, startWorker, userWithToken, type WorkerHandle } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

let p: Pipeline;
let second: WorkerHandle;

beforeAll(async () => {
  p = await startPipeline();
  second = await startWorker({
    databaseUrl: p.stack.databaseUrl,
    log: silentLog,
    config: p.stack.config,
    pollIntervalMs: 200,
    cron: false,
  });
});
afterAll(async () => {
  await second.stop();
  await p.close();
});

describe("per-instance send rate", () => {
  it("holds the instance's pace across two workers", async () => {
    const operator = await userWithToken(p.stack, "OPERATOR");
    await p.admin.client.instances.update.mutate({ id: p.evolution.id, sendRatePerSecond: 4 });
    await p.sim.injectInbound("EVOLUTION", { from: "+5531987651234", body: "oi", id: "PACEIN" });
    const inbound = await until(() => messageByProviderId(p.stack, "PACEIN"));
    await assign(p.stack, inbound.conversation_id, operator.user.id);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push(
        (await operator.client.messages.send.mutate({ conversationId: inbound.conversation_id, body: `rajada ${i}` }))
          .id,
      );
    }
    for (const id of ids) await until(async () => (await messageById(p.stack, id))?.provider_message_id, 20_000);
    const times = p.sim
      .sentMessages()
      .filter((m) => String((m.request as { text?: string }).text).startsWith("rajada"))
      .map((m) => m.at.getTime())
      .sort((a, b) => a - b);
    expect(times).toHaveLength(12);
    // At 4/s the 12 slots span 2.75 s; unpaced they would go out within ~0.1 s. Arrival times carry
    // each call's own delay (CPU load), so allow half a second of jitter on the span and one extra
    // send per one-second window beyond the 4 (+1 for clock edges) the slots allow.
    expect((times[11] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(2250);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= (times[i] ?? 0) && t < (times[i] ?? 0) + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(6);
    }
    await p.sim.settled();
  });
});
