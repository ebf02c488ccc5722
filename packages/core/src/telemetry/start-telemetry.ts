import { context, propagation, trace } from "@opentelemetry/api";
import type { TelemetryConfig } from "../config/env-schema";
import { setTracingOn } from "./spans";

export type Telemetry = {
  /** Exports every span ended so far (tests, benchmarks, shutdown). */
  flush: () => Promise<void>;
  /** Exports what is left and turns tracing off again. */
  shutdown: () => Promise<void>;
};

let running: Telemetry | null = null;

/**
 * Starts OpenTelemetry tracing for this process, or does nothing (returns null) when
 * `config` is null: no endpoint set. The SDK is loaded only here, on demand, so a
 * process without tracing never loads it. One provider per process: the all-in-one
 * start and tests that run API and worker together share it.
 *
 * Spans are batched (BatchSpanProcessor) and POSTed over OTLP/HTTP, JSON or protobuf.
 * The context travels in AsyncLocalStorage; across processes it rides, as a W3C
 * traceparent, in the webhook inbox, the events table and job payloads.
 */
export async function startTelemetry(config: TelemetryConfig | null): Promise<Telemetry | null> {
  if (!config) return null;
  if (running) return running;
  const [sdk, hooks, core, resources, exporters] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
    import("@opentelemetry/resources"),
    config.protocol === "http/json"
      ? import("@opentelemetry/exporter-trace-otlp-http")
      : import("@opentelemetry/exporter-trace-otlp-proto"),
  ]);
  const ratio = new sdk.TraceIdRatioBasedSampler(config.ratio);
  const root = {
    always_on: new sdk.AlwaysOnSampler(),
    always_off: new sdk.AlwaysOffSampler(),
    traceidratio: ratio,
    parentbased_always_on: new sdk.AlwaysOnSampler(),
    parentbased_always_off: new sdk.AlwaysOffSampler(),
    parentbased_traceidratio: ratio,
  }[config.sampler];
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": config.serviceName }),
    sampler: config.sampler.startsWith("parentbased_") ? new sdk.ParentBasedSampler({ root }) : root,
    spanProcessors: [
      new sdk.BatchSpanProcessor(new exporters.OTLPTraceExporter({ url: config.url, headers: config.headers })),
    ],
  });
  context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingOn(true);
  const telemetry: Telemetry = {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      if (running !== telemetry) return;
      running = null;
      setTracingOn(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  running = telemetry;
  return telemetry;
}
