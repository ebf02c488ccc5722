import { commonEnv, parseEnv, startTelemetry, type Telemetry, telemetryConfigFromEnv } from "@elsehu/core";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver } from "./otlp-receiver";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let telemetry: Telemetry | null;
let p: Pipeline;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const env = parseEnv(commonEnv, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.endpoint}/`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  });
  telemetry = await startTelemetry(telemetryConfigFromEnv(env, "elsehu-api"));
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
  await telemetry?.shutdown();
  await receiver.close();
});

describe("tracing, operator's reply", () => {
  it("follows messages.send through the send job and the provider call to its status webhook as one trace", async () => {
    const op = await userWithToken(p.stack, "OPERATOR");
    await p.sim.injectInbound("META", { from: "+5511987650002", body: "Preciso de ajuda", id: "wamid.TRACE2" });
    const inbound = await until(() => messageByProviderId(p.stack, "wamid.TRACE2"));
    await assign(p.stack, inbound.conversation_id, op.user.id);

    const sent = await op.client.messages.send.mutate({ conversationId: inbound.conversation_id, body: "Claro!" });
    // The simulator answers the send, then posts its status webhooks.
    await until(async () => (await messageById(p.stack, sent.id))?.status === "READ");

    const status = await until(async () => {
      await telemetry?.flush();
      return receiver.spans.find((s) => s.name === "message status");
    });
    const spans = receiver.trace(status.traceId);
    const names = spans.map((s) => s.name);
    expect(spans.filter((s) => !s.parentSpanId).map((s) => s.name)).toEqual(["POST /trpc/messages.send"]);
    expect(names).toEqual(
      expect.arrayContaining([
        "trpc messages.send",
        "messages send",
        "job enqueue messages/send_message",
        "job run messages/send_message",
        "provider POST",
        "message status",
      ]),
    );
    const call = spans.find((s) => s.name === "provider POST");
    expect(call?.attributes).toMatchObject({ "elsehu.provider": "META", "http.request.method": "POST" });
    // The access token travels in a header: nothing of it on the span.
    expect(JSON.stringify(call)).not.toContain("meta-access-token-xyz");
  });
});
