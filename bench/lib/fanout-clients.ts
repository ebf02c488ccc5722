import type { AppRouter } from "@elsehu/api";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { WebSocket } from "ws";

/**
 * - `wire`: tRPC's WebSocket protocol spoken directly (connection params,
 *   subscribe to events.onQueue, answer PING); messages parsed with JSON.parse.
 * - `raw`: plain sockets to the baseline server; messages parsed the same way.
 * - `trpc`: the real @trpc/client wsLink per socket (a browser runs one; here
 *   one process runs them all, so its per-message cost lands on the latency).
 */
export type ClientsInit =
  | { mode: "wire" | "trpc"; url: string; tokens: string[] }
  | { mode: "raw"; url: string; count: number };
type Envelope = { result?: { data?: { data?: { payload?: Payload } } } };
type Payload = { byDepartment?: { sentAt?: unknown } };

/**
 * The client side of bench/fanout.ts (a child process): opens the sockets,
 * records Date.now() - payload.byDepartment.sentAt for every message, and on each
 * `report` sends the latencies recorded since the previous one (and the CPU it spent).
 */
export async function runClients(): Promise<void> {
  const init = await nextMessage<ClientsInit>();
  let latencies: number[] = [];
  const record = (p: Payload | undefined) => {
    const sentAt = p?.byDepartment?.sentAt;
    if (typeof sentAt === "number") latencies.push(Date.now() - sentAt);
  };
  const onText = (m: unknown) => record((JSON.parse(String(m)) as Envelope).result?.data?.data?.payload);
  const closers: Array<() => void> = [];
  const open = init.mode === "raw" ? init.count : init.tokens.length;
  for (let i = 0; i < open; i += 100) {
    const batch = Array.from({ length: Math.min(100, open - i) }, (_, k) => i + k);
    await Promise.all(
      batch.map((n) => {
        if (init.mode === "trpc") return trpcSocket(init.url, init.tokens[n] as string, record, closers);
        if (init.mode === "wire") return wireSocket(init.url, init.tokens[n] as string, onText, closers);
        return rawSocket(init.url, onText, closers);
      }),
    );
  }
  process.send?.({ type: "ready" });

  let cpu = process.cpuUsage();
  for (;;) {
    const m = await nextMessage<{ type: "report"; expected: number; timeoutMs: number } | { type: "stop" }>();
    if (m.type === "stop") break;
    const deadline = Date.now() + m.timeoutMs;
    while (latencies.length < m.expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    // CPU this process spent since the last report: what parsing the messages cost the clients.
    process.send?.({ type: "latencies", latencies, cpuMs: (used.user + used.system) / 1000 });
    latencies = [];
  }
  for (const close of closers) close();
  process.exit(0);
}

function wireSocket(url: string, token: string, onText: (m: unknown) => void, closers: Array<() => void>) {
  const ws = new WebSocket(`${url}?connectionParams=1`);
  closers.push(() => ws.terminate());
  return new Promise<void>((started, failed) => {
    ws.once("error", failed);
    ws.once("open", () => {
      ws.send(JSON.stringify({ method: "connectionParams", data: { token } }));
      ws.send(JSON.stringify({ id: 1, method: "subscription", params: { path: "events.onQueue", input: {} } }));
    });
    ws.on("message", (m) => {
      const text = String(m);
      if (text === "PING") return ws.send("PONG");
      if (text.includes('"started"')) return started();
      if (text.includes('"error"')) return failed(new Error(text));
      onText(text);
    });
  });
}

function rawSocket(url: string, onText: (m: unknown) => void, closers: Array<() => void>) {
  const ws = new WebSocket(url);
  closers.push(() => ws.terminate());
  ws.on("message", onText);
  return new Promise<void>((r, f) => {
    ws.once("open", () => r());
    ws.once("error", f);
  });
}

function trpcSocket(url: string, token: string, record: (p: Payload) => void, closers: Array<() => void>) {
  return new Promise<void>((started, failed) => {
    const ws = createWSClient({
      url,
      connectionParams: () => ({ token }),
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    closers.push(() => void ws.close());
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    client.events.onQueue.subscribe(
      {},
      { onStarted: () => started(), onData: (d) => record(d.data.payload as Payload), onError: failed },
    );
  });
}

function nextMessage<T>(): Promise<T> {
  return new Promise((resolve) => process.once("message", (m) => resolve(m as T)));
}
