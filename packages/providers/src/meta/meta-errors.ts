import { ProviderError, parseRetryAfter } from "../errors";

/**
 * Meta codes worth retrying, with a first backoff hint. Throttling arrives as HTTP 400
 * with one of these codes, so classification is by `error.code`, never by status or text.
 */
const RETRYABLE_CODES: ReadonlyMap<number, number | undefined> = new Map([
  [1, undefined], // API unknown, "possibly a temporary issue"
  [2, undefined], // API service temporarily unavailable
  [4, 60_000], // app-level call rate limit
  [80007, 60_000], // WABA rate limit (per hour budgets)
  [130429, 1_000], // throughput (80 mps) reached
  [131000, undefined], // something went wrong
  [131016, undefined], // service unavailable
  [131056, 6_000], // pair rate: ~1 msg / 6 s to the same user
  [131057, 60_000], // account in maintenance (throughput upgrade)
]);

interface MetaErrorBody {
  error?: {
    message?: unknown;
    code?: unknown;
    error_subcode?: unknown;
    error_data?: { details?: unknown };
    is_transient?: unknown;
  };
}

function isMetaErrorBody(body: unknown): body is MetaErrorBody {
  return typeof body === "object" && body !== null && "error" in body;
}

/** Turns a non-2xx Graph response into a ProviderError. */
export function classifyMetaError(httpStatus: number, body: unknown, retryAfter?: string | null): ProviderError {
  const error = isMetaErrorBody(body) ? body.error : undefined;
  const code = typeof error?.code === "number" ? error.code : undefined;
  const details = typeof error?.error_data?.details === "string" ? error.error_data.details : undefined;
  const message = typeof error?.message === "string" ? error.message : `HTTP ${httpStatus}`;
  const providerMessage = details ? `${message}: ${details}` : message;
  const hinted = code === undefined ? undefined : RETRYABLE_CODES.get(code);
  const retryable =
    httpStatus === 429 ||
    httpStatus >= 500 ||
    (code !== undefined && RETRYABLE_CODES.has(code)) ||
    (error?.is_transient === true && code !== 190);
  return new ProviderError({
    provider: "META",
    code: code === undefined ? `HTTP_${httpStatus}` : String(code),
    httpStatus,
    retryable,
    retryAfterMs: retryable ? (parseRetryAfter(retryAfter ?? null) ?? hinted) : undefined,
    providerMessage,
  });
}

/** Same rule for the async `failed` status errors, which carry only a code. */
export function isRetryableMetaCode(code: number): boolean {
  return RETRYABLE_CODES.has(code);
}
