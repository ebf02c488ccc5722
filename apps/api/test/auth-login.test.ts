import { httpClient, type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/router";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
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

describe("login", () => {
  it("signs in with the right password and returns a token that authenticates auth.me", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const me = await httpClient(stack.url, u.token).auth.me.query();
    expect(me.email).toBe(u.email);
    expect(me.role).toBe("OPERATOR");
  });

  it("sets an HttpOnly SameSite session cookie that also authenticates", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const res = await fetch(`${stack.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await fetch(`${stack.url}/trpc/auth.me`, { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(me.status).toBe(200);
  });

  it("gives a new token at each login", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const again = await httpClient(stack.url).auth.login.mutate({ email: u.email, password: u.password });
    expect(again.token).not.toBe(u.token);
  });

  it("refuses a wrong password and an unknown email with the same UNAUTHORIZED answer", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const anon = httpClient(stack.url);
    expect(await codeOf(anon.auth.login.mutate({ email: u.email, password: "wrong password" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.auth.login.mutate({ email: "nobody@test.local", password: "whatever1" }))).toBe(
      "UNAUTHORIZED",
    );
  });

  it("answers a malformed email with BAD_REQUEST naming the field", async () => {
    try {
      await httpClient(stack.url).auth.login.mutate({ email: "not-an-email", password: "x" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TRPCClientError);
      expect((err as Error).message).toMatch(/email/);
      expect((err as TRPCClientError<AppRouter>).data?.code).toBe("BAD_REQUEST");
    }
  });

  it("throttles an email after 10 failures with TOO_MANY_REQUESTS and the wait, even for the right password", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const anon = httpClient(stack.url);
    for (let i = 0; i < 10; i++) await codeOf(anon.auth.login.mutate({ email: u.email, password: "bad password" }));
    try {
      await anon.auth.login.mutate({ email: u.email, password: u.password });
      expect.unreachable();
    } catch (err) {
      const e = err as TRPCClientError<AppRouter>;
      expect(e.data?.code).toBe("TOO_MANY_REQUESTS");
      expect(e.message).toMatch(/Try again in \d+ seconds/);
    }
  });

  it("ends the session at logout", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    await u.client.auth.logout.mutate();
    expect(await codeOf(u.client.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("lists own sessions and revokes one of them", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const second = await httpClient(stack.url).auth.login.mutate({ email: u.email, password: u.password });
    const list = await u.client.auth.sessions.query();
    expect(list).toHaveLength(2);
    const other = list.find((s) => !s.current);
    expect(other).toBeDefined();
    await u.client.auth.revokeSession.mutate({ id: other?.id ?? "" });
    expect(await codeOf(httpClient(stack.url, second.token).auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(u.client.auth.me.query())).toBe("OK");
  });

  it("changing the password ends every other session and keeps this one", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const other = await httpClient(stack.url).auth.login.mutate({ email: u.email, password: u.password });
    await u.client.auth.changePassword.mutate({ currentPassword: u.password, newPassword: "a brand new secret" });
    expect(await codeOf(httpClient(stack.url, other.token).auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(u.client.auth.me.query())).toBe("OK");
    const relog = await httpClient(stack.url).auth.login.mutate({ email: u.email, password: "a brand new secret" });
    expect(relog.token).toBeTruthy();
  });

  it("refuses a cookie-authenticated mutation from a foreign origin", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const res = await fetch(`${stack.url}/trpc/auth.logout`, {
      method: "POST",
      headers: {
        cookie: `elsehu_session=${u.token}`,
        origin: "https://evil.example",
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(await codeOf(u.client.auth.me.query())).toBe("OK");
  });
});
