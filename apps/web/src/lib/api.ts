import type { AppRouter } from "@elsehu/api";
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  isNonJsonSerializable,
  splitLink,
  TRPCClientError,
  wsLink,
} from "@trpc/client";

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;
export type ApiError = TRPCClientError<AppRouter>;
export type RealtimeConnection = ReturnType<typeof createApi>["connection"];

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}/trpc`;
}

const sameOrigin = (url: URL | RequestInfo, init?: RequestInit) => fetch(url, { ...init, credentials: "same-origin" });

/**
 * One client per signed-in session: queries and mutations go batched over HTTP,
 * subscriptions over one WebSocket that reconnects by itself and opens only
 * while a subscription is active. Both authenticate with the HttpOnly session
 * cookie only (the browser sends it on the same-origin WebSocket upgrade too):
 * no token is ever readable by scripts.
 */
export function createApi(opts: { onSocketClosed?: (code: number | undefined) => void } = {}) {
  const ws = createWSClient({
    url: wsUrl,
    lazy: { enabled: true, closeMs: 10_000 },
    retryDelayMs: (attempt) => Math.min(500 * 2 ** attempt, 10_000),
    onClose: (cause) => opts.onSocketClosed?.(cause?.code),
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: ws }),
        // FormData (file uploads: messages.sendMedia) cannot be batched: it goes alone over httpLink.
        false: splitLink({
          condition: (op) => isNonJsonSerializable(op.input),
          true: httpLink({ url: "/trpc", fetch: sameOrigin }),
          false: httpBatchLink({
            url: "/trpc",
            maxURLLength: 4000,
            // The API refuses a batch of more than 20 calls (apps/api/src/http/batch-cap.ts).
            maxItems: 20,
            fetch: sameOrigin,
          }),
        }),
      }),
    ],
  });
  return { client, connection: ws.connectionState, close: () => ws.close() };
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof TRPCClientError;
}

export function errorCode(err: unknown): string | undefined {
  if (!isApiError(err)) return undefined;
  const data = err.data as { code?: string } | undefined;
  return data?.code;
}
