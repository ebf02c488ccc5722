import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CONSOLE = "http://console.test";
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: {
      corsOrigins: [CONSOLE],
      bodyLimitKb: 1,
      rateLimits: { userPerMinute: 8, ipPerMinute: 10_000, webhookPerMinute: 10_000 },
    },
  });
});
afterAll(async () => {
  await stack.close();
});

describe("HTTP edge of the API", () => {
  it("answers with security headers and a request id, echoing a well-formed one", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const res = await fetch(`${stack.url}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${u.token}`, "x-request-id": "abc-123" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age/);
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    expect(res.headers.get("vary")).toMatch(/Origin/i);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();

    const bad = await fetch(`${stack.url}/healthz`, { headers: { "x-request-id": "no spaces <allowed>" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(bad.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("allows the configured console origin through CORS and no other", async () => {
    const preflight = await fetch(`${stack.url}/trpc/auth.me`, {
      method: "OPTIONS",
      headers: { origin: CONSOLE, "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(CONSOLE);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");

    const foreign = await fetch(`${stack.url}/trpc/auth.me`, { headers: { origin: "http://evil.test" } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const allowed = await fetch(`${stack.url}/trpc/auth.me`, { headers: { origin: CONSOLE } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(CONSOLE);
    expect(allowed.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("refuses a request body over the limit with 413 before tRPC reads it", async () => {
    const res = await fetch(`${stack.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.c", password: "x".repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: "Request body larger than 1 KB" });
  });

  it("refuses a chunked body (no Content-Length) as soon as it passes the limit", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(700));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${stack.url}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("counts tRPC calls by procedure in the Prometheus metrics", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    await fetch(`${stack.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${u.token}` } });
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="trpc:auth.me",status="200"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="trpc:auth.me"\} \d+/);
  });

  it("limits requests per session token with 429 and Retry-After", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${stack.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${u.token}` } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
