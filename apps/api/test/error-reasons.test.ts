import { randomUUID } from "node:crypto";
import type { Reason } from "@elsehu/core";
import { httpClient, type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * Every error carries a machine `reason` (core's catalog) in tRPC's `data`, on
 * each path a call can take: the direct HTTP path (JSON calls), tRPC's fetch
 * adapter (multipart uploads) and the WebSocket. The console reads only it.
 */
let stack: Stack;
let operator: Awaited<ReturnType<typeof userWithToken>>;
let admin: Awaited<ReturnType<typeof userWithToken>>;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  operator = await userWithToken(stack, "OPERATOR");
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await stack.close();
});

type Refusal = { code?: string; reason?: Reason; details?: Record<string, unknown> | null };

async function refusal(call: Promise<unknown>): Promise<Refusal> {
  const err = await call.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCClientError);
  const data = (err as { data: Refusal }).data;
  return { code: data.code, reason: data.reason, details: data.details };
}

describe("error reasons", () => {
  it("are sent on the direct HTTP path, for domain, role and input errors", async () => {
    expect(await refusal(operator.client.users.get.query({ id: admin.user.id }))).toMatchObject({
      code: "FORBIDDEN",
      reason: "NOT_OWN_PROFILE",
    });
    expect(await refusal(operator.client.users.create.mutate({} as never))).toMatchObject({
      code: "FORBIDDEN",
      reason: "ROLE_FORBIDDEN",
    });
    expect(await refusal(admin.client.tabulations.create.mutate({ name: "" } as never))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "INVALID_INPUT",
      details: { field: "name" },
    });
    expect(await refusal(admin.client.conversations.get.query({ id: randomUUID() }))).toMatchObject({
      code: "NOT_FOUND",
      reason: "NOT_FOUND",
      details: { what: "Conversation" },
    });
    const login = { email: admin.email, password: "wrong password" };
    expect(await refusal(httpClient(stack.url).auth.login.mutate(login))).toMatchObject({
      code: "UNAUTHORIZED",
      reason: "INVALID_CREDENTIALS",
    });
  });

  it("are sent through tRPC's fetch adapter (a multipart upload without its file)", async () => {
    const form = new FormData();
    form.set("conversationId", randomUUID());
    const res = await fetch(`${stack.url}/trpc/messages.sendMedia`, {
      method: "POST",
      headers: { authorization: `Bearer ${operator.token}` },
      body: form,
    });
    const body = (await res.json()) as { error: { data: Refusal } };
    expect([res.status, body.error.data.reason, body.error.data.details]).toEqual([
      400,
      "FILE_REQUIRED",
      { field: "file" },
    ]);
  });

  it("are sent over the WebSocket", async () => {
    const { client, ws } = wsClient(stack.url, operator.token);
    try {
      expect(await refusal(client.users.get.query({ id: admin.user.id }))).toMatchObject({
        code: "FORBIDDEN",
        reason: "NOT_OWN_PROFILE",
      });
      expect(await refusal(client.users.get.query({ id: "not-a-uuid" }))).toMatchObject({
        reason: "INVALID_INPUT",
        details: { field: "id" },
      });
    } finally {
      await ws.close();
    }
  });

  it("never shows a client the database's own words when a query fails", async () => {
    await stack.core.sql`alter table tabulations rename to tabulations_moved_away`;
    try {
      const err = await admin.client.tabulations.list.query().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCClientError);
      const { message, data } = err as TRPCClientError<never> & { data: Refusal };
      expect(data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", reason: "INTERNAL" });
      expect(message).toBe("Internal server error");
      // The path names the procedure; nothing else of the failure may show.
      expect(JSON.stringify(err)).not.toMatch(/failed query|relation|params|select|moved_away/i);
    } finally {
      await stack.core.sql`alter table tabulations_moved_away rename to tabulations`;
    }
  });

  it("gives an internal error a request id the log has too, on HTTP, over the WebSocket and on plain routes", async () => {
    await stack.core.sql`alter table tabulations rename to tabulations_moved_away`;
    await stack.core.sql`alter table campaigns rename to campaigns_moved_away`;
    const { client, ws } = wsClient(stack.url, admin.token);
    try {
      // The direct HTTP path: the id is the request's own X-Request-Id, echoed in the header and in error.data.
      const res = await fetch(`${stack.url}/trpc/tabulations.list`, {
        headers: { authorization: `Bearer ${admin.token}`, "x-request-id": "support-ticket-42" },
      });
      const body = (await res.json()) as { error: { message: string; data: Refusal & { requestId?: string } } };
      expect([res.status, res.headers.get("x-request-id")]).toEqual([500, "support-ticket-42"]);
      expect(body.error.message).toBe("Internal server error");
      expect(body.error.data).toMatchObject({ reason: "INTERNAL", requestId: "support-ticket-42" });

      // Over the WebSocket: one id per socket, in the data.
      const err = await client.tabulations.list.query().catch((e: unknown) => e);
      const data = (err as { data: Refusal & { requestId?: string } }).data;
      expect(data.reason).toBe("INTERNAL");
      expect(data.requestId).toMatch(/^ws-[0-9a-f-]{36}$/);
      expect(JSON.stringify(err)).not.toMatch(/relation|moved_away|select/i);

      // A plain (Hono) route: reason INTERNAL and the request id, never the database's message.
      const csv = await fetch(`${stack.url}/campaigns/${randomUUID()}/results.csv`, {
        headers: { authorization: `Bearer ${admin.token}`, "x-request-id": "support-ticket-43" },
      });
      const text = await csv.text();
      expect(csv.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: "Internal error", reason: "INTERNAL", requestId: "support-ticket-43" });
      expect(text).not.toMatch(/relation|moved_away|select/i);
    } finally {
      await ws.close();
      await stack.core.sql`alter table campaigns_moved_away rename to campaigns`;
      await stack.core.sql`alter table tabulations_moved_away rename to tabulations`;
    }
  });
});
