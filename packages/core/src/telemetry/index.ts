export { type Span, SpanKind } from "@opentelemetry/api";
export * from "./http-span";
export * from "./spans";
export * from "./start-telemetry";
export * from "./trace-sql";
