import { WebSocket as NodeWebSocket } from "ws";

export type RawMessage = {
  id?: number | null;
  result?: { type?: string };
  error?: { data?: { reason?: string } };
};

/** A raw tRPC socket: opens, sends its token (if any) as connection params, and records what it receives. */
export async function rawSocket(url: string, token?: string) {
  const ws = new NodeWebSocket(`${url.replace(/^http/, "ws")}/trpc?connectionParams=1`);
  const messages: RawMessage[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  ws.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ method: "connectionParams", data: token ? { token } : {} }));
  const call = (id: number, method: "query" | "subscription", path: string, input: unknown = {}) =>
    ws.send(JSON.stringify({ id, method, params: { path, input } }));
  const stop = (id: number) => ws.send(JSON.stringify({ id, method: "subscription.stop" }));
  return { ws, messages, closed, call, stop };
}

/** Polls `fn` until `ok` holds (or the time is up), and returns its last value. */
export async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The first answer to call `id` on a raw socket. */
export async function answerTo(s: { messages: RawMessage[] }, id: number): Promise<RawMessage | undefined> {
  const all = await until(
    () => s.messages,
    (m) => m.some((x) => x.id === id),
  );
  return all.find((x) => x.id === id);
}
