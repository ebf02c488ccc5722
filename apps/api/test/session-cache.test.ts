import { httpClient, type Stack, silentLog, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../src/server";

// Two API processes on one database: A (the stack's) and B. Each caches validated sessions.
let stack: Stack;
let apiB: ApiHandle;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  apiB = await startApi({ databaseUrl: stack.databaseUrl, port: 0, log: silentLog, config: stack.config });
});
afterAll(async () => {
  await apiB.close();
  await stack.close();
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}

/** Resolves with the reason once process `url` has heard that this token's session ended. */
async function endedOn(url: string, token: string) {
  const { client, ws } = wsClient(url, token);
  let markStarted = () => {};
  const started = new Promise<void>((r) => {
    markStarted = r;
  });
  const reason = new Promise<string>((resolve, reject) => {
    client.auth.onSessionEnded.subscribe(undefined, {
      onStarted: () => markStarted(),
      onData: (d) => resolve(d.data.reason),
      onError: reject,
    });
  });
  await started;
  return { reason, close: () => ws.close() };
}

describe("session cache across API processes", () => {
  it("refuses on process B a session revoked through process A, as soon as B hears of it", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const onB = httpClient(apiB.url, u.token);
    // B has validated (and cached) the session.
    expect((await onB.auth.me.query()).email).toBe(u.email);
    expect((await onB.auth.me.query()).email).toBe(u.email);
    const ended = await endedOn(apiB.url, u.token);

    const other = await httpClient(stack.url).auth.login.mutate({ email: u.email, password: u.password });
    const viaA = httpClient(stack.url, other.token);
    const target = (await viaA.auth.sessions.query()).find((s) => !s.current);
    await viaA.auth.revokeSession.mutate({ id: target?.id ?? "" });

    // Process A itself refuses it right away; B once the event reached it.
    expect(await codeOf(httpClient(stack.url, u.token).auth.me.query())).toBe("UNAUTHORIZED");
    expect(await ended.reason).toBe("revoked");
    expect(await codeOf(onB.auth.me.query())).toBe("UNAUTHORIZED");
    // The session that did the revoking still works on both.
    expect((await httpClient(apiB.url, other.token).auth.me.query()).email).toBe(u.email);
    await ended.close();
  });

  it("refuses on process B a user deactivated through process A", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    const onB = httpClient(apiB.url, op.token);
    expect((await onB.auth.me.query()).role).toBe("OPERATOR");
    const ended = await endedOn(apiB.url, op.token);

    await admin.client.users.update.mutate({ id: op.user.id, active: false });

    expect(await codeOf(op.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await ended.reason).toBe("deactivated");
    expect(await codeOf(onB.auth.me.query())).toBe("UNAUTHORIZED");
    await ended.close();
  });

  it("shows a role changed through process A on process B, not the cached one", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    const onB = httpClient(apiB.url, op.token);
    expect((await onB.auth.me.query()).role).toBe("OPERATOR");
    expect(await codeOf(onB.presence.board.query())).toBe("FORBIDDEN");
    const ended = await endedOn(apiB.url, op.token);

    await admin.client.users.update.mutate({ id: op.user.id, role: "SUPERVISOR" });

    expect((await op.client.auth.me.query()).role).toBe("SUPERVISOR");
    expect(await ended.reason).toBe("role_changed");
    expect((await onB.auth.me.query()).role).toBe("SUPERVISOR");
    expect(await codeOf(onB.presence.board.query())).toBe("OK");
    await ended.close();
  });

  it("refuses a logged-out token at once on the process that logged it out", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    expect((await u.client.auth.me.query()).email).toBe(u.email);
    await u.client.auth.logout.mutate();
    expect(await codeOf(u.client.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("still slides a session's expiry once half of its idle timeout has passed", async () => {
    const short = await startApi({
      databaseUrl: stack.databaseUrl,
      port: 0,
      log: silentLog,
      config: { ...stack.config, sessionIdleTimeoutSeconds: 4 },
    });
    try {
      const u = await userWithToken(stack, "OPERATOR");
      const { token } = await httpClient(short.url).auth.login.mutate({ email: u.email, password: u.password });
      const client = httpClient(short.url, token);
      const first = new Date((await client.auth.me.query()).sessionExpiresAt).getTime();
      await new Promise((r) => setTimeout(r, 2300));
      const later = new Date((await client.auth.me.query()).sessionExpiresAt).getTime();
      expect(later).toBeGreaterThan(first);
      await new Promise((r) => setTimeout(r, 2300));
      // Past the first expiry, alive because it was extended.
      expect((await client.auth.me.query()).email).toBe(u.email);
    } finally {
      await short.close();
    }
  });
});
