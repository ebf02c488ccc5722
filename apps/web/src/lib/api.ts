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
import { getToken } from "./token";

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;
export type ApiError = TRPCClientError<AppRouter>;
export type RealtimeConnection = ReturnType<typeof createApi>["connection"];

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}/trpc`;
}

function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

const sameOrigin = (url: URL | RequestInfo, init?: RequestInit) => fetch(url, { ...init, credentials: "same-origin" });

/**
 * One client per signed-in session: queries and mutations go batched over HTTP
 * (cookie, plus Bearer when we hold the token), subscriptions over one
 * WebSocket that authenticates with connectionParams and reconnects by itself.
 * The socket opens only while a subscription is active.
 */
export function createApi(opts: { onSocketClosed?: (code: number | undefined) => void } = {}) {
  const ws = createWSClient({
    url: wsUrl,
    connectionParams: () => {
      const token = getToken();
      return token ? { token } : {};
    },
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
          true: httpLink({ url: "/trpc", headers: authHeaders, fetch: sameOrigin }),
          false: httpBatchLink({
            url: "/trpc",
            maxURLLength: 4000,
            // The API refuses a batch of more than 20 calls (apps/api/src/http/batch-cap.ts).
            maxItems: 20,
            headers: authHeaders,
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
