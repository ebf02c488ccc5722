import { commonEnv, parseEnv, startTelemetry, telemetryConfigFromEnv, tracer, tracingOn } from "@elsehu/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOtlpReceiver } from "./otlp-receiver";
import { messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let p: Pipeline;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
  await receiver.close();
});

describe("tracing off", () => {
  it("reads the standard variables: an endpoint gets /v1/traces, protobuf by default", () => {
    const env = parseEnv(commonEnv, {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
    });
    expect(telemetryConfigFromEnv(env, "elsehu-worker")).toMatchObject({
      url: "http://collector:4318/v1/traces",
      protocol: "http/protobuf",
      serviceName: "elsehu-worker",
      sampler: "parentbased_traceidratio",
      ratio: 0.1,
    });
    expect(() => parseEnv(commonEnv, { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
  });

  it("starts nothing without an endpoint: no SDK, no trace stored with the work, nothing exported", async () => {
    const env = parseEnv(commonEnv, { OTEL_SERVICE_NAME: "elsehu", OTEL_TRACES_SAMPLER: "always_on" });
    expect(await startTelemetry(telemetryConfigFromEnv(env, "elsehu-api"))).toBeNull();
    expect(tracingOn()).toBe(false);
    // The API's global provider is still its no-op proxy: no tracer provider was registered.
    expect(tracer().startSpan("x").isRecording()).toBe(false);

    expect(await p.sim.injectInbound("META", { from: "+5511987650003", body: "Oi", id: "wamid.OFF1" })).toBe(200);
    const message = await until(() => messageByProviderId(p.stack, "wamid.OFF1"));
    const [webhook] = await p.stack.core.sql`select trace from webhook_events order by id desc limit 1`;
    const traced = await p.stack.core.sql`select id from events where trace is not null`;
    const [row] = await p.stack.core.sql`select trace from messages where id = ${message.id}`;
    expect(webhook?.trace).toBeNull();
    expect(row?.trace).toBeNull();
    expect(traced).toHaveLength(0);
    expect(receiver.requests()).toBe(0);
  });
});
