import {
  type Context,
  context,
  isSpanContextValid,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";

/**
 * The spans every layer makes, through the OpenTelemetry API only (the SDK is
 * started, or not, by start-telemetry.ts). While tracing is off each helper is a
 * boolean test and a direct call: no context is made, nothing is allocated.
 */
let on = false;

let current: Tracer = trace.getTracer("elsehu");

/** Set by startTelemetry / its shutdown (which replace the global provider: the tracer is taken anew). */
export function setTracingOn(value: boolean): void {
  on = value;
  current = trace.getTracer("elsehu");
}

export function tracingOn(): boolean {
  return on;
}

/** The tracer of the provider started last. */
export function tracer(): Tracer {
  return current;
}

/** Marks a span failed with `err` (its message, never the data that caused it). */
export function failSpan(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * Runs `fn` in a new span, child of `opts.parent` or of the active span; the span
 * ends when `fn` settles and records its error.
 */
export function withSpan<T>(name: string, fn: () => Promise<T>, opts?: SpanOptions & { parent?: Context }): Promise<T> {
  if (!on) return fn();
  const parent = opts?.parent ?? context.active();
  const span = current.startSpan(name, opts, parent);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await fn();
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The context a W3C `traceparent` names (one stored with a webhook, an event or a job). */
export function contextOf(traceparent: string): Context {
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/**
 * `withSpan` continuing the trace a stored `traceparent` names, or under the active
 * span when there is none: how the worker and the realtime hub rejoin the trace of
 * the request that caused their work.
 */
export function withSpanIn<T>(
  traceparent: string | null | undefined,
  name: string,
  fn: () => Promise<T>,
  opts?: SpanOptions,
): Promise<T> {
  if (!on) return fn();
  return withSpan(name, fn, traceparent ? { ...opts, parent: contextOf(traceparent) } : opts);
}

/**
 * The active span as a W3C `traceparent`, to store beside work done later (webhook
 * inbox, events, job payloads), or null when tracing is off or no span is active.
 * Unsampled traces travel too, so the whole path keeps one sampling decision.
 */
export function currentTraceparent(): string | null {
  if (!on) return null;
  const span = trace.getActiveSpan();
  if (!span || !isSpanContextValid(span.spanContext())) return null;
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * pino `mixin`: every log line written inside a span carries its trace_id and span_id.
 * A fresh object each time: pino merges the line's own fields into it (a shared frozen
 * object made every `log.info({...})` throw).
 */
export function logTraceFields(): { trace_id?: string; span_id?: string } {
  if (!on) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const c = span.spanContext();
  return isSpanContextValid(c) ? { trace_id: c.traceId, span_id: c.spanId } : {};
}

/** A link to the active span (for a span that continues another trace), or none. */
export function activeLink(): Link[] {
  const span = trace.getActiveSpan();
  return span ? [{ context: span.spanContext() }] : [];
}

/** Marks the active span failed (a result that carries its error instead of throwing it). */
export function failActiveSpan(err: unknown): void {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, err);
}

/**
 * A span in the trace `traceparent` names, ended by the caller: for a step that is no
 * function call (an event waiting in a socket's queue until it is sent).
 */
export function startSpanIn(traceparent: string, name: string, opts?: SpanOptions): Span {
  return current.startSpan(name, opts, contextOf(traceparent));
}
