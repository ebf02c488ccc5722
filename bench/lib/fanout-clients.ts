import type { AppRouter } from "@elsehu/api";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";

type Init = { mode: "trpc"; url: string; tokens: string[] } | { mode: "raw"; url: string; count: number };
type Payload = { sentAt?: unknown };

/**
 * The client side of bench/fanout.ts (a child process): opens the sockets,
 * records Date.now() - payload.sentAt for every message, and reports the
 * latencies when asked. `raw` mode opens as many plain sockets as the tRPC run had.
 */
export async function runClients(): Promise<void> {
  const init = await nextMessage<Init>();
  const latencies: number[] = [];
  const record = (p: Payload | undefined) => {
    if (typeof p?.sentAt === "number") latencies.push(Date.now() - p.sentAt);
  };
  const closers: Array<() => void> = [];

  if (init.mode === "trpc") {
    for (let i = 0; i < init.tokens.length; i += 100) {
      await Promise.all(
        init.tokens.slice(i, i + 100).map(
          (token) =>
            new Promise<void>((started, failed) => {
              const ws = createWSClient({
                url: init.url,
                connectionParams: () => ({ token }),
                WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
              });
              closers.push(() => void ws.close());
              const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
              client.events.onQueue.subscribe(
                {},
                {
                  onStarted: () => started(),
                  onData: (d) => record(d.data.payload as Payload),
                  onError: (err) => failed(err),
                },
              );
            }),
        ),
      );
    }
  } else {
    const count = init.count;
    for (let i = 0; i < count; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, count - i) }, async () => {
          const ws = new WebSocket(init.url);
          closers.push(() => ws.terminate());
          ws.on("message", (m) => {
            const env = JSON.parse(String(m)) as { result?: { data?: { payload?: Payload } } };
            record(env.result?.data?.payload);
          });
          await new Promise<void>((r, f) => {
            ws.once("open", () => r());
            ws.once("error", f);
          });
        }),
      );
    }
  }
  process.send?.({ type: "ready" });

  const report = await nextMessage<{ expected: number; timeoutMs: number }>();
  const deadline = Date.now() + report.timeoutMs;
  while (latencies.length < report.expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  process.send?.({ type: "latencies", latencies });
  await nextMessage();
  for (const close of closers) close();
  process.exit(0);
}

function nextMessage<T>(): Promise<T> {
  return new Promise((resolve) => process.once("message", (m) => resolve(m as T)));
}
