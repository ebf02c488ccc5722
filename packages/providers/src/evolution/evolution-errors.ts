import { ProviderError, parseRetryAfter } from "../errors";

/** Flattens Evolution's `response.message` (string | string[] | string[][] | onWhatsApp results). */
function messagesOf(body: unknown): { texts: string[]; notOnWhatsApp: boolean } {
  const texts: string[] = [];
  let notOnWhatsApp = false;
  const visit = (value: unknown): void => {
    if (typeof value === "string") texts.push(value);
    else if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === "object" && value !== null && "exists" in value && value.exists === false) {
      notOnWhatsApp = true;
      const number = "number" in value ? String(value.number) : "";
      texts.push(`${number} is not on WhatsApp`.trim());
    }
  };
  if (typeof body === "object" && body !== null) {
    if ("response" in body && typeof body.response === "object" && body.response !== null) {
      if ("message" in body.response) visit(body.response.message);
    } else if ("message" in body) visit(body.message);
  }
  return { texts, notOnWhatsApp };
}

function licenseCode(body: unknown): string | undefined {
  return typeof body === "object" && body !== null && "code" in body && typeof body.code === "string"
    ? body.code
    : undefined;
}

/**
 * Evolution has no error codes, only HTTP statuses and English sentences, so the few
 * cases the worker must tell apart are recognised here, in one place.
 */
export function classifyEvolutionError(httpStatus: number, body: unknown, retryAfter?: string | null): ProviderError {
  const { texts, notOnWhatsApp } = messagesOf(body);
  const text = texts.join("; ") || `HTTP ${httpStatus}`;
  const base = { provider: "EVOLUTION" as const, httpStatus, providerMessage: text };

  if (notOnWhatsApp) return new ProviderError({ ...base, code: "NOT_ON_WHATSAPP", retryable: false });
  if (/instance is not connected|connection closed/i.test(text))
    return new ProviderError({ ...base, code: "INSTANCE_NOT_CONNECTED", retryable: false });
  if (httpStatus === 404 && /does not exist/i.test(text))
    return new ProviderError({ ...base, code: "INSTANCE_NOT_FOUND", retryable: false });
  // 2.4+ before license activation: a 503 that no amount of retrying fixes.
  if (licenseCode(body) === "LICENSE_REQUIRED") {
    const message = typeof body === "object" && body !== null && "message" in body ? String(body.message) : text;
    return new ProviderError({ ...base, code: "LICENSE_REQUIRED", retryable: false, providerMessage: message });
  }
  if (httpStatus === 401) return new ProviderError({ ...base, code: "UNAUTHORIZED", retryable: false });
  if (httpStatus === 403) return new ProviderError({ ...base, code: "FORBIDDEN", retryable: false });
  if (httpStatus === 429 || httpStatus >= 500) {
    return new ProviderError({
      ...base,
      code: `HTTP_${httpStatus}`,
      retryable: true,
      retryAfterMs: parseRetryAfter(retryAfter ?? null),
    });
  }
  return new ProviderError({
    ...base,
    code: httpStatus === 400 ? "BAD_REQUEST" : `HTTP_${httpStatus}`,
    retryable: false,
  });
}
