import { randomBytes } from "node:crypto";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustProxy } from "../src/http/trust-proxy";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: {
      trustProxy: parseTrustProxy("1"),
      rateLimits: { userPerMinute: 100_000, ipPerMinute: 100_000, webhookPerMinute: 100_000 },
    },
  });
});
afterAll(async () => {
  await stack.close();
});

/** The HTTP series /metrics exposes (one line per label set). */
async function httpSeries(): Promise<string[]> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  return text.split("\n").filter((l) => l.startsWith("http_"));
}

const word = () => randomBytes(6).toString("hex");

/** One request of each made-up kind: unknown procedures (plain, batched, GET and POST), unknown routes. */
function madeUpRequests(i: number): Promise<Response>[] {
  const headers = { "x-forwarded-for": `10.9.${i % 250}.${(i * 7) % 250}` };
  const json = { ...headers, "content-type": "application/json" };
  return [
    fetch(`${stack.url}/trpc/${word()}`, { headers }),
    fetch(`${stack.url}/trpc/${word()}.${word()},auth.me?batch=1`, { headers }),
    fetch(`${stack.url}/trpc/${word()}`, { method: "POST", headers: json, body: "{}" }),
    fetch(`${stack.url}/trpc/auth.me,${word()}?batch=1`, { method: "POST", headers: json, body: "{}" }),
    fetch(`${stack.url}/${word()}/${word()}`, { headers }),
    fetch(`${stack.url}/trpc/%2F${word()}`, { headers }),
  ];
}

describe("metrics cardinality", () => {
  it("thousands of made-up paths leave the number of series unchanged", async () => {
    // The fixed "unknown" series, and /metrics' own, exist from here on.
    await Promise.all(madeUpRequests(0));
    await httpSeries();
    const before = await httpSeries();
    // 1,632 requests (272 rounds of 6) to paths nobody registered; a few at a time, so a loaded
    // machine's accept queue never resets a connection.
    for (let i = 1; i <= 272; i++) {
      await Promise.all((await Promise.all(madeUpRequests(i))).map((r) => r.arrayBuffer()));
    }
    const after = await httpSeries();
    expect(after.length).toBe(before.length);
    expect(after.join("\n")).not.toMatch(/route="trpc:[0-9a-f]{12}/);
    expect(after.join("\n")).toMatch(/route="trpc:unknown"/);
  }, 120_000);

  it("still labels known procedures by name, and a batch of several as trpc:batch", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    const auth = { authorization: `Bearer ${u.token}` };
    await fetch(`${stack.url}/trpc/auth.me`, { headers: auth });
    await fetch(`${stack.url}/trpc/auth.me,auth.sessions?batch=1`, { headers: auth });
    const text = (await httpSeries()).join("\n");
    expect(text).toMatch(/http_requests_total\{method="GET",route="trpc:auth.me",status="200"\} \d+/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="trpc:batch",status="200"\} \d+/);
  });
});
