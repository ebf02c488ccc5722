import { sessionIdOf } from "@elsehu/core";
import { httpClient, type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, api: { sessionCheckMs: 200 } });
});
afterAll(async () => {
  await stack.close();
});

/** Subscribes to auth.onSessionEnded and resolves with the first reason, or the error. */
function sessionEnded(url: string, token?: string) {
  const { client, ws } = wsClient(url, token);
  let markStarted = () => {};
  const started = new Promise<void>((r) => {
    markStarted = r;
  });
  const result = new Promise<{ reason?: string; error?: string }>((resolve) => {
    client.auth.onSessionEnded.subscribe(undefined, {
      onStarted: () => markStarted(),
      onData: (d) => resolve({ reason: d.data.reason }),
      onError: (err) => resolve({ error: err instanceof TRPCClientError ? err.data?.code : String(err) }),
    });
  });
  return { result, started, close: () => ws.close() };
}

describe("WebSocket sessions", () => {
  it("refuses a subscription without a token with UNAUTHORIZED", async () => {
    const sub = sessionEnded(stack.url);
    expect(await sub.result).toEqual({ error: "UNAUTHORIZED" });
    await sub.close();
  });

  it("accepts a subscription with a token and tells it when the session is revoked", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const sub = sessionEnded(stack.url, u.token);
    await sub.started;
    const other = await httpClient(stack.url).auth.login.mutate({ email: u.email, password: u.password });
    const sessions = await httpClient(stack.url, other.token).auth.sessions.query();
    const target = sessions.find((s) => !s.current);
    await httpClient(stack.url, other.token).auth.revokeSession.mutate({ id: target?.id ?? "" });
    expect(await sub.result).toEqual({ reason: "revoked" });
    await sub.close();
  });

  it("cuts off a deactivated user at once, over HTTP and on his open socket", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    const sub = sessionEnded(stack.url, op.token);
    await sub.started;
    await admin.client.users.update.mutate({ id: op.user.id, active: false });
    expect(await sub.result).toEqual({ reason: "deactivated" });
    await expect(op.client.auth.me.query()).rejects.toThrow(/Sign in/);
    await expect(httpClient(stack.url).auth.login.mutate({ email: op.email, password: op.password })).rejects.toThrow(
      /deactivated|Invalid/,
    );
    await sub.close();
  });

  it("tells the socket when the session expires", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const sub = sessionEnded(stack.url, u.token);
    await sub.started;
    await stack.core
      .sql`update sessions set expires_at = now() - interval '1 second' where id = ${sessionIdOf(u.token)}`;
    expect(await sub.result).toEqual({ reason: "expired" });
    await expect(u.client.auth.me.query()).rejects.toThrow(/Sign in/);
    await sub.close();
  });

  it("does not break other HTTP routes when upgrades are routed", async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
  });
});
