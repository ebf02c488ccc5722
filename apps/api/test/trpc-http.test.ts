import { randomUUID } from "node:crypto";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authViaHeaders, tokenFromHeaders } from "../src/http/request-info";
import { appRouter } from "../src/router";
import { createContext } from "../src/trpc/context";
import { planCalls } from "../src/trpc/http-calls";

/*
 * The API answers plain tRPC calls on its own direct path (http/trpc-http.ts).
 * Every request here is also answered by tRPC's own fetch adapter, on the
 * same router and context: status and body must be the same.
 */
let stack: Stack;
let op: string;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  op = (await userWithToken(stack, "OPERATOR")).token;
});
afterAll(async () => {
  await stack.close();
});

type Call = { path: string; method?: "GET" | "POST"; body?: string; headers?: Record<string, string> };

async function both(call: Call) {
  const headers: Record<string, string> = { "content-type": "application/json", ...call.headers };
  const init = { method: call.method ?? "GET", headers, body: call.body };
  const direct = await fetch(`${stack.url}/trpc/${call.path}`, init);
  const reference = await fetchRequestHandler({
    endpoint: "/trpc",
    req: new Request(`${stack.url}/trpc/${call.path}`, init),
    router: appRouter,
    createContext: ({ resHeaders }) =>
      createContext(stack.api.deps, {
        token: tokenFromHeaders(headers.authorization, headers.cookie),
        via: authViaHeaders(headers.authorization, headers.cookie),
        ip: "127.0.0.1",
        resHeaders,
        origin: headers.origin,
        host: new URL(stack.url).host,
      }),
  });
  expect(direct.headers.get("content-type")).toBe("application/json");
  return {
    direct: { status: direct.status, body: await direct.json() },
    reference: { status: reference.status, body: await reference.json() },
  };
}

const bearer = () => ({ authorization: `Bearer ${op}` });

describe("tRPC over HTTP, direct path", () => {
  it("answers queries, mutations and batches as tRPC's own adapter does, errors included", async () => {
    const calls: Call[] = [
      { path: "auth.me", headers: bearer() },
      { path: "auth.me" },
      { path: `auth.me?input=${encodeURIComponent("{bad")}`, headers: bearer() },
      {
        path: `conversations.get?input=${encodeURIComponent(JSON.stringify({ id: randomUUID() }))}`,
        headers: bearer(),
      },
      { path: `conversations.get?input=${encodeURIComponent('{"id":"x"}')}`, headers: bearer() },
      { path: `conversations.get?input=${encodeURIComponent("{bad")}`, headers: bearer() },
      { path: "conversations.queue", headers: bearer() },
      { path: "auth.me,auth.me?batch=1", headers: bearer() },
      { path: "auth.me,conversations.queue?batch=1", headers: bearer() },
      { path: `auth.me,conversations.get?batch=1&input=${encodeURIComponent("[1]")}`, headers: bearer() },
      { path: `auth.me,conversations.get?batch=1&input=${encodeURIComponent('{"1":{"id":7}}')}`, headers: bearer() },
      { path: "auth.login", method: "POST", body: JSON.stringify({ email: "not an email", password: "x" }) },
      { path: "auth.login", method: "POST", body: "" },
      { path: "auth.login", method: "POST", body: "{not json" },
      { path: "auth.login", method: "POST", body: `\uFEFF${JSON.stringify({ email: "x" })}` },
      {
        path: "auth.login,auth.login?batch=1",
        method: "POST",
        body: JSON.stringify({ 0: { email: "a" }, 1: { email: "b@c.d" } }),
        headers: { "content-type": "application/json; charset=utf-8" },
      },
      {
        path: "tabulations.create",
        method: "POST",
        body: JSON.stringify({ name: "x" }),
        headers: { cookie: `elsehu_session=${op}`, origin: "http://evil.test" },
      },
    ];
    for (const call of calls) {
      const { direct, reference } = await both(call);
      expect({ call, ...direct }).toEqual({ call, ...reference });
    }
  });

  it("takes the plain calls and leaves the rest to tRPC's adapter", () => {
    expect(planCalls("GET", "auth.me", false)).not.toBeNull();
    expect(planCalls("GET", "auth.me,conversations.get", true)).not.toBeNull();
    expect(planCalls("POST", "auth.login", false)).not.toBeNull();
    // Wrong method, unknown path, subscriptions, mixed types, a path that is not a procedure.
    expect(planCalls("POST", "auth.me", false)).toBeNull();
    expect(planCalls("GET", "nope.nothing", false)).toBeNull();
    expect(planCalls("GET", "events.onQueue", false)).toBeNull();
    expect(planCalls("GET", "auth.me,auth.login", true)).toBeNull();
    expect(planCalls("GET", "constructor", false)).toBeNull();
  });

  it("answers what it leaves to tRPC's adapter as before: wrong method, unknown procedure", async () => {
    for (const call of [
      { path: "auth.me", method: "POST" as const, body: "{}", headers: bearer() },
      { path: "auth.login", headers: bearer() },
      { path: "nope.nothing", headers: bearer() },
    ]) {
      const { direct, reference } = await both(call);
      expect({ call, ...direct }).toEqual({ call, ...reference });
      expect(direct.status).toBeGreaterThanOrEqual(400);
      expect(direct.status).toBeLessThan(500);
    }
  });
});
