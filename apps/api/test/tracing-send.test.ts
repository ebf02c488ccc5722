import { commonEnv, parseEnv, startTelemetry, type Telemetry, telemetryConfigFromEnv } from "@elsehu/core";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver } from "./otlp-receiver";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";
import { api, apiToken } from "./public-api-helpers";

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

  it("follows a send through /api/v1 under its route pattern, through the send job to the provider call, as one trace", async () => {
    await p.sim.injectInbound("META", { from: "+5511987650003", body: "Meu pedido?", id: "wamid.TRACE3" });
    const inbound = await until(() => messageByProviderId(p.stack, "wamid.TRACE3"));
    await assign(p.stack, inbound.conversation_id, p.admin.user.id);
    const { token } = await apiToken(p.admin, ["messages:send"]);

    const sent = await api(p.stack, token, "POST", "/messages/text", {
      conversationId: inbound.conversation_id,
      body: "Seu pedido saiu",
    });
    expect(sent.status).toBe(200);
    await until(async () => (await messageById(p.stack, sent.body.id))?.status === "READ");

    const run = await until(async () => {
      await telemetry?.flush();
      return receiver.spans.find(
        (s) =>
          s.name === "job run messages/send_message" &&
          receiver.trace(s.traceId).some((r) => r.name.includes("/api/v1")),
      );
    });
    const spans = receiver.trace(run.traceId);
    const root = spans.filter((s) => !s.parentSpanId);
    expect(root.map((s) => s.name)).toEqual(["POST /api/v1/messages/text"]);
    expect(root[0]?.attributes).toMatchObject({
      "http.route": "/api/v1/messages/text",
      "http.response.status_code": 200,
    });
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "api messages.sendText",
        "messages send",
        "job run messages/send_message",
        "provider POST",
      ]),
    );

    // Whatever the path holds, the span is named by the route it matched (or one fixed name): names stay few.
    const before = receiver.spans.length;
    expect((await api(p.stack, token, "GET", "/conversations/not-a-uuid")).status).toBe(403);
    expect((await api(p.stack, token, "GET", `/no-such-route-${Date.now()}`)).status).toBe(404);
    const roots = await until(async () => {
      await telemetry?.flush();
      const found = receiver.spans.slice(before).filter((s) => !s.parentSpanId && s.name.startsWith("GET /api/v1"));
      return found.length === 2 ? found : undefined;
    });
    expect(roots.map((s) => [s.name, s.attributes["http.route"]]).sort()).toEqual([
      ["GET /api/v1/*", "/api/v1/*"],
      ["GET /api/v1/conversations/{id}", "/api/v1/conversations/{id}"],
    ]);
  });
});
