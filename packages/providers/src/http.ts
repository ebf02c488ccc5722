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

/** One provider request: timeout, network errors and non-2xx all become ProviderError. */
export async function callProvider(call: HttpCall): Promise<unknown> {
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
