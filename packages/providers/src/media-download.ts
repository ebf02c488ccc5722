import { networkError, ProviderError } from "./errors";
import type { HttpCall } from "./http";
import type { ProviderKind } from "./types";

const MB = 1024 * 1024;

/**
 * Largest inbound file per message kind: Meta's own limits (image 5 MB, audio and
 * video 16 MB, animated sticker 500 KB, document 100 MB). Evolution gets the same caps.
 */
export const MEDIA_LIMITS = {
  image: 5 * MB,
  audio: 16 * MB,
  video: 16 * MB,
  sticker: 500 * 1024,
  document: 100 * MB,
} as const;

export function mediaLimitOf(kind: string): number {
  return (MEDIA_LIMITS as Record<string, number>)[kind] ?? MEDIA_LIMITS.document;
}

/** Bounds of one media download. */
export interface MediaFetchOptions {
  /** Refused (not retried) past this many bytes. */
  maxBytes?: number;
  /** Redirects followed before giving up (default 3). */
  maxRedirects?: number;
  /** Whole download, headers and body (default: the adapter's provider timeout). */
  timeoutMs?: number;
}

export function tooLarge(provider: ProviderKind, maxBytes: number): ProviderError {
  return new ProviderError({
    provider,
    code: "MEDIA_TOO_LARGE",
    retryable: false,
    providerMessage: `media is larger than ${maxBytes} bytes`,
  });
}

type DownloadCall = Omit<HttpCall, "body" | "method"> & {
  method?: "GET" | "POST";
  body?: unknown;
  maxBytes: number;
  maxRedirects: number;
};

async function* counted(
  provider: ProviderKind,
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): AsyncIterable<Uint8Array> {
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(provider, maxBytes);
      yield value;
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw networkError(provider, err);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Opens a provider download as a stream: redirects are followed by hand up to
 * `maxRedirects` (the Authorization header only to the same origin), a declared
 * Content-Length over `maxBytes` is refused before reading, and the body is counted
 * as it streams. The one timeout covers connecting and reading alike.
 */
export async function openDownload(
  call: DownloadCall,
): Promise<{ body: AsyncIterable<Uint8Array>; contentType: string | null }> {
  const signal = AbortSignal.timeout(call.timeoutMs);
  let url = call.url;
  let headers = { ...call.headers };
  const origin = new URL(url).origin;
  try {
    for (let hop = 0; ; hop++) {
      const init: RequestInit = { method: call.method ?? "GET", headers, redirect: "manual", signal };
      if (call.body !== undefined) {
        init.body = JSON.stringify(call.body);
        headers["Content-Type"] = "application/json";
      }
      const response = await fetch(url, init);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= call.maxRedirects) {
          throw new ProviderError({
            provider: call.provider,
            code: "TOO_MANY_REDIRECTS",
            retryable: false,
            providerMessage: `media download redirected more than ${call.maxRedirects} times`,
          });
        }
        url = new URL(location, url).toString();
        if (new URL(url).origin !== origin) {
          const { Authorization: _a, authorization: _b, apikey: _c, ...rest } = headers;
          headers = rest;
        }
        continue;
      }
      if (!response.ok) {
        const text = await response.text().catch(() => "");
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        throw call.classify(response.status, parsed, response.headers.get("retry-after"));
      }
      const declared = Number(response.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > call.maxBytes) {
        await response.body?.cancel();
        throw tooLarge(call.provider, call.maxBytes);
      }
      if (!response.body) return { body: bodyOf(), contentType: response.headers.get("content-type") };
      return {
        body: counted(call.provider, response.body, call.maxBytes),
        contentType: response.headers.get("content-type"),
      };
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw networkError(call.provider, err);
  }
}

/** All of a downloaded body (tests, small JSON answers). */
export async function collectBytes(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Bytes already in memory as a download body. */
export async function* bodyOf(...chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}
