import { randomUUID } from "node:crypto";
import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { parseTrustProxy } from "../src/http/trust-proxy";

/** Behind one trusted proxy (TRUST_PROXY=1), each test speaks from its own client address. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: {
      trustProxy: parseTrustProxy("1"),
      rateLimits: { userPerMinute: 10_000, ipPerMinute: 25, webhookPerMinute: 10_000, filesPerMinute: 5 },
    },
  });
});
afterAll(async () => {
  await stack.close();
});

const from = (ip: string, token?: string) => ({
  "x-forwarded-for": ip,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

describe("rate limits on every path", () => {
  it("counts every call of a tRPC batch against the limit", async () => {
    const path = Array.from({ length: 20 }, () => "auth.me").join(",");
    const first = await fetch(`${stack.url}/trpc/${path}?batch=1`, { headers: from("10.1.0.1") });
    expect(first.status).toBe(401);
    // 20 calls counted: a second batch of 20 passes the budget of 25.
    const second = await fetch(`${stack.url}/trpc/${path}?batch=1`, { headers: from("10.1.0.1") });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client address is not affected.
    const other = await fetch(`${stack.url}/trpc/auth.me`, { headers: from("10.1.0.9") });
    expect(other.status).toBe(401);
  });

  it("refuses a batch larger than 20 calls on the direct path and on Hono's", async () => {
    const path = Array.from({ length: 21 }, () => "auth.me").join(",");
    const direct = await fetch(`${stack.url}/trpc/${path}?batch=1`, { headers: from("10.1.0.5") });
    expect(direct.status).toBe(400);
    expect(await direct.json()).toMatchObject({ reason: "BATCH_TOO_LARGE" });
    // Percent-encoded commas go to tRPC's own adapter: refused alike.
    const encoded = await fetch(`${stack.url}/trpc/${path.replaceAll(",", "%2C")}?batch=1`, {
      headers: from("10.1.0.6"),
    });
    expect(encoded.status).toBe(400);
    expect(await encoded.json()).toMatchObject({ reason: "BATCH_TOO_LARGE" });
  });

  it("counts calls over a WebSocket against the same limit", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    class FromClient extends NodeWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { "x-forwarded-for": "10.1.0.2" } });
      }
    }
    const { client, ws } = wsClient(stack.url, u.token, FromClient);
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      try {
        await client.auth.me.query();
        codes.push("OK");
      } catch (err) {
        if (!(err instanceof TRPCClientError)) throw err;
        codes.push(String((err.data as { code?: string } | undefined)?.code));
      }
    }
    await ws.close();
    expect(codes.slice(0, 25).every((c) => c === "OK")).toBe(true);
    expect(codes.slice(25)).toEqual(Array(5).fill("TOO_MANY_REQUESTS"));
  });

  it("gives file routes (media, exports, uploads) their own smaller budget", async () => {
    const u = await userWithToken(stack, "SUPERVISOR");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${stack.url}/media/${randomUUID()}`, { headers: from("10.1.0.3", u.token) });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    // The same user from another address is still limited: the budget is per user too.
    const report = await fetch(`${stack.url}/reports/finished.csv?from=2026-01-01&to=2026-01-02`, {
      headers: from("10.1.0.4", u.token),
    });
    expect(report.status).toBe(429);
    const upload = await fetch(`${stack.url}/uploads/contacts-csv`, {
      method: "POST",
      headers: { ...from("10.1.0.4", u.token), "content-type": "text/csv" },
      body: "phone\n5511999990000\n",
    });
    expect(upload.status).toBe(429);
  });
});
