import { createUser } from "@elsehu/core";
import { loginAttempts } from "@elsehu/db";
import { type Stack, silentLog, startStack, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { parseTrustProxy } from "../src/http/trust-proxy";
import { type ApiHandle, startApi } from "../src/server";

/*
 * OWASP ASVS 5 V6.3: password guessing. The API behind a proxy (TRUST_PROXY)
 * is how the tests present different client addresses.
 */
let stack: Stack;
let proxied: ApiHandle;
/** The proxied API's clock: real time unless a test freezes it. */
let frozenAt: number | null = null;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  proxied = await startApi({
    databaseUrl: stack.databaseUrl,
    port: 0,
    log: silentLog,
    config: stack.config,
    trustProxy: parseTrustProxy("127.0.0.1/32,::1"),
    now: () => new Date(frozenAt ?? Date.now()),
  });
});
afterAll(async () => {
  await proxied.close();
  await stack.close();
});

let n = 0;
async function account() {
  n++;
  const email = `victim${n}-${Date.now()}@test.local`;
  const password = "the real password";
  await createUser(stack.core, null, { name: `Victim ${n}`, email, password, role: "OPERATOR" });
  return { email, password };
}

/** One HTTP request carrying `calls` login guesses as a tRPC batch, from `ip`. */
async function batchOfGuesses(url: string, email: string, calls: number, ip?: string) {
  const path = Array.from({ length: calls }, () => "auth.login").join(",");
  const body = Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, { email, password: `guess ${i}` }]));
  const res = await fetch(`${url}/trpc/${path}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(ip ? { "x-forwarded-for": ip } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  const codes = Array.isArray(json)
    ? json.map((r: { error?: { data?: { code?: string } } }) => String(r.error?.data?.code))
    : [];
  return { status: res.status, json, codes };
}

const passwordChecks = async (email: string) =>
  (await stack.db.db.select().from(loginAttempts).where(eq(loginAttempts.email, email))).length;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return String((err.data as { code?: string } | undefined)?.code);
    throw err;
  }
}

describe("login throttling", () => {
  it("refuses a batch of 200 guesses whole: no password is checked", async () => {
    const victim = await account();
    const r = await batchOfGuesses(stack.url, victim.email, 200);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ reason: "BATCH_TOO_LARGE" });
    expect(await passwordChecks(victim.email)).toBe(0);
  });

  it("lets 200 concurrent guesses in full batches reach the password check 10 times; the user signs in from elsewhere", async () => {
    const victim = await account();
    const batches = await Promise.all(
      Array.from({ length: 10 }, () => batchOfGuesses(proxied.url, victim.email, 20, "203.0.113.7")),
    );
    const codes = batches.flatMap((b) => b.codes);
    expect(codes).toHaveLength(200);
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(10);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(190);
    expect(await passwordChecks(victim.email)).toBe(10);

    // The attacker's address is locked out of this account, even with the right password...
    const attacker = await fetch(`${proxied.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.7" },
      body: JSON.stringify(victim),
    });
    expect(attacker.status).toBe(429);
    // ...while the real user, from his own address, signs in.
    const user = await fetch(`${proxied.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.20" },
      body: JSON.stringify(victim),
    });
    expect(user.status).toBe(200);
    expect(((await user.json()) as { result: { data: { token: string } } }).result.data.token).toBeTruthy();
  });

  it("lets 200 guesses over one WebSocket reach the password check 10 times; the user signs in from elsewhere", async () => {
    const victim = await account();
    class FromAttacker extends NodeWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { "x-forwarded-for": "203.0.113.8" } });
      }
    }
    const { client, ws } = wsClient(proxied.url, undefined, FromAttacker);
    const codes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        codeOf(client.auth.login.mutate({ email: victim.email, password: `guess ${i}` })),
      ),
    );
    await ws.close();
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(10);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(190);
    expect(await passwordChecks(victim.email)).toBe(10);
    const user = await fetch(`${proxied.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.21" },
      body: JSON.stringify(victim),
    });
    expect(user.status).toBe(200);
  });

  it("without TRUST_PROXY ignores X-Forwarded-For: a fresh address per guess does not escape the limit", async () => {
    const victim = await account();
    const codes: string[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await batchOfGuesses(stack.url, victim.email, 1, `192.0.2.${i + 1}`);
      codes.push(...r.codes);
    }
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(10);
    expect(codes.slice(10).every((c) => c === "TOO_MANY_REQUESTS")).toBe(true);
  });

  it("slows an account guessed from many addresses with growing delays, which the real user outlasts", async () => {
    const victim = await account();
    frozenAt = Date.now();
    try {
      // 10 addresses, two guesses each: the 20 failures an account takes before any delay.
      const first = await Promise.all(
        Array.from({ length: 10 }, (_, i) => batchOfGuesses(proxied.url, victim.email, 2, `198.18.0.${i + 1}`)),
      );
      expect(first.flatMap((b) => b.codes).filter((c) => c === "UNAUTHORIZED")).toHaveLength(20);
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) {
        const refused = await batchOfGuesses(proxied.url, victim.email, 1, `198.18.1.${i + 1}`);
        expect(refused.codes).toEqual(["TOO_MANY_REQUESTS"]);
        const message = (refused.json as [{ error: { message: string } }])[0].error.message;
        const wait = Number(/Try again in (\d+) seconds/.exec(message)?.[1]);
        waits.push(wait);
        frozenAt += wait * 1000;
        const allowed = await batchOfGuesses(proxied.url, victim.email, 1, `198.18.2.${i + 1}`);
        expect(allowed.codes).toEqual(["UNAUTHORIZED"]);
      }
      expect(waits).toEqual([1, 2, 4]);
      expect(await passwordChecks(victim.email)).toBe(23);
      // The real user waits the announced delay at most, then signs in.
      frozenAt += 8000;
      const user = await fetch(`${proxied.url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.22" },
        body: JSON.stringify(victim),
      });
      expect(user.status).toBe(200);
    } finally {
      frozenAt = null;
    }
  });
});
