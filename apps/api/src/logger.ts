import { logTraceFields } from "@elsehu/core";
import pino from "pino";

/** Paths never written to logs, whatever the level. */
export const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers.apikey",
  "req.headers['x-hub-signature-256']",
  "res.headers['set-cookie']",
  "*.password",
  "*.currentPassword",
  "*.newPassword",
  "*.token",
  "*.accessToken",
  "*.appSecret",
  "*.apiKey",
  "*.webhookSecret",
  "*.verifyToken",
  "password",
  "token",
];

export function createLogger(level: string, name = "api") {
  // Inside a span every line carries trace_id and span_id (an empty mixin while tracing is off).
  return pino({ name, level, redact: { paths: REDACT, censor: "[redacted]" }, mixin: logTraceFields });
}
