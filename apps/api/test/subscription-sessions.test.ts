import { publishEvent } from "@elsehu/core";
import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack.close();
});

const codeOf = (err: unknown) => (err instanceof TRPCClientError ? err.data?.code : String(err));

describe("subscriptions end with the session", () => {
  it("refuses a subscription over HTTP (SSE), so no stream can outlive its session", async () => {
    const u = await userWithToken(stack, "SUPERVISOR");
    const auths: Array<Record<string, string>> = [
      { authorization: `Bearer ${u.token}` },
      { cookie: `elsehu_session=${u.token}` },
    ];
    for (const auth of auths) {
      const res = await fetch(`${stack.url}/trpc/events.onQueue?input=${encodeURIComponent("{}")}`, {
        headers: { accept: "text/event-stream", ...auth },
      });
      expect(res.status).toBe(405);
      const body = (await res.json()) as { error: { data: { code: string; reason: string } } };
      expect(body.error.data).toMatchObject({ code: "METHOD_NOT_SUPPORTED", reason: "SUBSCRIPTION_WS_ONLY" });
    }
    // Percent-encoded names are the same procedure.
    const encoded = await fetch(`${stack.url}/trpc/auth%2EonSessionEnded`, {
      headers: { accept: "text/event-stream", authorization: `Bearer ${u.token}` },
    });
    expect(encoded.status).toBe(405);
  });

  it("ends a supervisor's staff-only subscription when he is demoted; it is refused on reconnect", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const sup = await userWithToken(stack, "SUPERVISOR");
    const { client, ws } = wsClient(stack.url, sup.token);
    const seen: string[] = [];
    let started = () => {};
    const ready = new Promise<void>((r) => {
      started = r;
    });
    const refused = new Promise<string | undefined>((resolve) => {
      client.events.onInstance.subscribe(
        {},
        {
          onStarted: () => started(),
          onData: (d) => seen.push(d.data.kind),
          onError: (err) => resolve(codeOf(err)),
        },
      );
    });
    await ready;
    const status = (n: number) =>
      stack.core.db.transaction((tx) =>
        publishEvent(tx, {
          kind: "instance.status",
          audience: { to: "STAFF" },
          payload: { instanceId: `marker-${n}`, connectionStatus: "open", hasQr: false },
        }),
      );
    await status(1);
    await expect.poll(() => seen.includes("instance.status")).toBe(true);

    await admin.client.users.update.mutate({ id: sup.user.id, role: "OPERATOR" });

    expect(await refused).toBe("FORBIDDEN");
    await ws.close();
  });
});
