import type { ProviderKind } from "./types";

export interface ProviderErrorInit {
  provider: ProviderKind;
  /** Meta error code ("131047"), Evolution/our code ("NOT_ON_WHATSAPP"), or "HTTP_<status>". */
  code: string;
  httpStatus?: number;
  retryable: boolean;
  retryAfterMs?: number;
  /** The provider's own words, shown to operators as the failure reason. */
  providerMessage: string;
  cause?: unknown;
}

/**
 * Every failure of a provider call. The worker only needs `retryable` (back off and
 * retry) versus not (fail the message now with `providerMessage`).
 */
export class ProviderError extends Error {
  readonly provider: ProviderKind;
  readonly code: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly providerMessage: string;

  constructor(init: ProviderErrorInit) {
    super(`${init.provider} ${init.code}: ${init.providerMessage}`, { cause: init.cause });
    this.name = "ProviderError";
    this.provider = init.provider;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.providerMessage = init.providerMessage;
  }
}

/** A webhook body we cannot make sense of; the route answers 400. */
export class WebhookParseError extends Error {
  constructor(
    message: string,
    readonly path: string = "",
  ) {
    super(path ? `${message} at ${path}` : message);
    this.name = "WebhookParseError";
  }
}

/** Fetch threw: DNS, refused connection, reset, or our own timeout. Always worth retrying. */
export function networkError(provider: ProviderKind, cause: unknown): ProviderError {
  const isTimeout = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ProviderError({
    provider,
    code: isTimeout ? "TIMEOUT" : "NETWORK",
    retryable: true,
    providerMessage: isTimeout ? `request timed out: ${detail}` : `network error: ${detail}`,
    cause,
  });
}

/** Seconds or HTTP-date from a Retry-After header, as milliseconds. */
export function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
