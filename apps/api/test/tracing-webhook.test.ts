import {
  commonEnv,
  listJobs,
  logTraceFields,
  parseEnv,
  startTelemetry,
  type Telemetry,
  telemetryConfigFromEnv,
  withSpan,
} from "@elsehu/core";
import { userWithToken, wsClient } from "@elsehu/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userRow } from "./conversation-fixtures";
import { startOtlpReceiver } from "./otlp-receiver";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

type Ev = { id: number; kind: string; payload: Record<string, unknown> };

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let telemetry: Telemetry | null;
let p: Pipeline;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  // As a deployment would set it: the standard variables only (protobuf is the default protocol).
  const env = parseEnv(commonEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: "elsehu-test" });
  telemetry = await startTelemetry(telemetryConfigFromEnv(env, "elsehu-api"));
  p = await startPipeline();
});
afterAll(async () => {
  await p.close();
  await telemetry?.shutdown();
  await receiver.close();
});

describe("tracing, webhook to socket", () => {
  it("follows a signed inbound webhook through the worker and the assignment to the operator's socket as one trace", async () => {
    await p.stack.core.sql`update users set presence = 'OFFLINE' where role = 'OPERATOR'`;
    const op = await userWithToken(p.stack, "OPERATOR");
    const ws = wsClient(p.stack.url, op.token);
    const got: Ev[] = [];
    await new Promise<void>((started) =>
      ws.client.events.onConversation.subscribe(
        {},
        { onStarted: () => started(), onData: (d) => got.push(d.data as unknown as Ev) },
      ),
    );
    await until(async () => (await userRow(p.stack.core, op.user.id)).presence === "ONLINE");
    // The assignment his going online asked for has run: the one below is the webhook's.
    await until(async () => (await listJobs(p.stack.core)).length === 0);

    expect(await p.sim.injectInbound("META", { from: "+5511987650001", body: "Oi", id: "wamid.TRACE1" })).toBe(200);
    const assigned = await until(async () => got.find((e) => e.kind === "conversation.assigned"));
    expect(assigned.payload.operatorId).toBe(op.user.id);

    await telemetry?.flush();
    const push = await until(async () => {
      await telemetry?.flush();
      return receiver.spans.find(
        (s) => s.name === "realtime push conversation.assigned" && s.attributes["enduser.id"] === op.user.id,
      );
    });
    const spans = receiver.trace(push.traceId);
    const names = spans.map((s) => s.name);
    // The trace starts at the provider's POST: the only span without a parent.
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots.map((s) => s.name)).toEqual(["POST /webhooks/meta"]);
    expect(names).toEqual(
      expect.arrayContaining([
        "webhook apply",
        "messages inbound",
        "job enqueue conversations/assign_waiting",
        "job run conversations/assign_waiting",
        "conversations assign",
        "realtime push conversation.assigned",
      ]),
    );
    // Statements are spans with their text and none of their values.
    const statements = spans.filter((s) => s.name.startsWith("pg "));
    expect(statements.length).toBeGreaterThan(3);
    expect(statements.every((s) => !String(s.attributes["db.query.text"]).includes("wamid.TRACE1"))).toBe(true);
    expect(statements.some((s) => String(s.attributes["db.query.text"]).includes("insert into"))).toBe(true);
    // Every span is parented inside the trace.
    const ids = new Set(spans.map((s) => s.spanId));
    expect(spans.every((s) => !s.parentSpanId || ids.has(s.parentSpanId))).toBe(true);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["elsehu-test"]));
    await ws.ws.close();
  });

  it("writes trace_id and span_id on log lines made inside a span", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      { mixin: logTraceFields },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    log.info("outside");
    await withSpan("logged", async () => log.info("inside"));
    expect(lines[0]).not.toHaveProperty("trace_id");
    expect(lines[1]).toMatchObject({ trace_id: expect.stringMatching(/^[0-9a-f]{32}$/), span_id: expect.any(String) });
    await telemetry?.flush();
    const span = await until(async () => receiver.spans.find((s) => s.name === "logged"));
    expect(lines[1]).toMatchObject({ trace_id: span.traceId, span_id: span.spanId });
  });
});
