import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { networkError, type ProviderError } from "./errors";
import type { ProviderKind } from "./types";

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface HttpCall {
  provider: ProviderKind;
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** JSON-serialised when a plain value; sent as-is when FormData. */
  body?: unknown;
  timeoutMs: number;
  classify: (httpStatus: number, body: unknown, retryAfter: string | null) => ProviderError;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const tracer = () => trace.getTracer("elsehu");

/**
 * One provider request: timeout, network errors and non-2xx all become ProviderError.
 * Inside a trace (the send job's) it is a client span: provider, method, host and path
 * (never the query, headers or body, which carry tokens and customer data).
 */
export async function callProvider(call: HttpCall): Promise<unknown> {
  if (!trace.getActiveSpan()) return request(call);
  const url = new URL(call.url);
  return tracer().startActiveSpan(
    `provider ${call.method}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "elsehu.provider": call.provider,
        "http.request.method": call.method,
        "server.address": url.hostname,
        "url.path": url.pathname,
      },
    },
    async (span) => {
      try {
        return await request(call);
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

async function request(call: HttpCall): Promise<unknown> {
  const isForm = call.body instanceof FormData;
  const headers = { ...call.headers };
  if (call.body !== undefined && !isForm) headers["Content-Type"] = "application/json";
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(call.url, {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : isForm ? (call.body as FormData) : JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    body = await readBody(response);
  } catch (cause) {
    throw networkError(call.provider, cause);
  }
  if (!response.ok) throw call.classify(response.status, body, response.headers.get("retry-after"));
  return body;
}
