import type { AddressInfo } from "node:net";
import { startApi } from "@elsehu/api";
import { createUser } from "@elsehu/core";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { benchConfig, benchLog, unthrottled } from "./core";
import { benchDatabase } from "./database";

/**
 * The server side of bench/http.ts (runs in a child process): the real API
 * with a signed-in user, and a bare Hono app answering the same JSON shape
 * as `auth.me`. Reports their URLs and the token over IPC, stops on "stop".
 */
export async function serveForBench(): Promise<void> {
  const database = await benchDatabase();
  const api = await startApi({
    databaseUrl: database.url,
    port: 0,
    log: benchLog,
    config: benchConfig(),
    rateLimits: unthrottled,
  });
  const email = "bench@elsehu.local";
  const password = "bench password 123";
  await createUser(api.deps.core, null, { name: "Bench", email, password, role: "OPERATOR" });
  const res = await fetch(`${api.url}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const login = (await res.json()) as { result?: { data?: { token?: string } } };
  const token = login.result?.data?.token;
  if (!token) throw new Error(`login failed: HTTP ${res.status}`);
  const me = await fetch(`${api.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
  const shape = await me.json();

  const bare = new Hono();
  bare.get("/x", (c) => c.json(shape));
  const server = serve({ fetch: bare.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const baselineUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  process.send?.({ apiUrl: api.url, baselineUrl, token });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  await new Promise<void>((r) => server.close(() => r()));
  await api.close();
  await database.close();
  process.exit(0);
}
