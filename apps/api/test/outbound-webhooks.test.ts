import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature } from "@elsehu/core";
import { userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * Outbound webhooks through the user's path: an admin registers endpoints over
 * tRPC, the provider simulator posts customers' messages, the real worker
 * delivers signed POSTs to a real receiver (an HTTP server on port 0) whose
 * answers each test chooses.
 */
let p: Pipeline;
let receiver: Receiver;

type Received = { path: string; headers: IncomingMessage["headers"]; raw: string; body: Envelope };
/** What the tests read of `data` (message types; other types carry other fields). */
type Data = {
  message: { body: string; direction: string };
  contact: { name: string };
  conversation: { protocol: string };
};
type Envelope = { id: string; type: string; createdAt: string; data: Data };
type Answer = (r: Received, seen: Received[]) => number;

type Receiver = {
  url: string;
  got: Received[];
  /** What the receiver answers on a path (default 200). */
  answers: Map<string, Answer>;
  close: () => Promise<void>;
};

async function startReceiver(): Promise<Receiver> {
  const got: Received[] = [];
  const answers = new Map<string, Answer>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const r: Received = { path: req.url ?? "", headers: req.headers, raw, body: JSON.parse(raw) as Envelope };
      const seen = got.filter((g) => g.path === r.path);
      got.push(r);
      const status = (answers.get(r.path) ?? (() => 200))(r, seen);
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status < 300 ? "ok, recebido" : `falhou ${"x".repeat(2000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    got,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const at = (path: string) => receiver.got.filter((g) => g.path === path);

async function reasonOf(call: Promise<unknown>): Promise<string | undefined> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCClientError);
  return (err as { data?: { reason?: string } }).data?.reason;
}

beforeAll(async () => {
  receiver = await startReceiver();
  p = await startPipeline({
    config: {
      allowPrivateWebhookUrls: true,
      webhookRetryBaseMs: 40,
      webhookDisableAfterFailures: 4,
      webhookTimeoutMs: 3000,
    },
  });
});
afterAll(async () => {
  await p?.close();
  await receiver?.close();
});

let phones = 0;
/** A customer's text on the Meta number (a new phone per call unless given). */
async function customerSays(body: string, phone: string = `5511977${String(++phones).padStart(6, "0")}`) {
  await p.sim.injectInbound("META", { from: phone, name: "Cliente Webhook", body });
  return phone;
}

describe("outbound webhooks", () => {
  it("delivers a customer's message as a signed POST the receiver can verify", async () => {
    const { secret, endpoint } = await p.admin.client.webhookEndpoints.create.mutate({
      url: `${receiver.url}/signed`,
      description: "CRM",
      eventTypes: ["message.received", "conversation.opened", "contact.created"],
    });
    expect(secret).toMatch(/^whsec_/);
    // The list never carries the secret.
    const list = await p.admin.client.webhookEndpoints.list.query();
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(list.find((e) => e.id === endpoint.id)?.enabled).toBe(true);

    await customerSays("quero saber do meu pedido 4411");
    const msg = await until(async () => at("/signed").find((r) => r.body.type === "message.received"), 30_000);
    expect(msg.headers["x-elsehu-event"]).toBe("message.received");
    expect(verifyWebhookSignature(secret, msg.raw, String(msg.headers["x-elsehu-signature"]))).toBe(true);
    expect(verifyWebhookSignature("whsec_other", msg.raw, String(msg.headers["x-elsehu-signature"]))).toBe(false);
    // The documented receiver check (docs/webhooks.md), by hand: HMAC-SHA256 of "<t>.<raw body>".
    const [, t] = /t=(\d+)/.exec(String(msg.headers["x-elsehu-signature"])) ?? [];
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(120);
    expect(Object.keys(msg.body).sort()).toEqual(["createdAt", "data", "id", "type"]);
    expect(msg.body.data.message.body).toBe("quero saber do meu pedido 4411");
    expect(msg.body.data.message.direction).toBe("IN");
    expect(msg.body.data.contact.name).toBe("Cliente Webhook");
    expect(msg.body.data.conversation.protocol).toMatch(/^\d{8}-\d{6}$/);
    await until(async () => at("/signed").some((r) => r.body.type === "conversation.opened"));
    await until(async () => at("/signed").some((r) => r.body.type === "contact.created"));
    // Nothing the endpoint did not subscribe to, and no secrets of any kind in the bodies.
    expect(
      at("/signed").every((r) => ["message.received", "conversation.opened", "contact.created"].includes(r.body.type)),
    ).toBe(true);
    expect(at("/signed").some((r) => /meta-access-token|meta-app-secret|whsec_/.test(r.raw))).toBe(false);

    const shown = await until(async () => {
      const list = await p.admin.client.webhookEndpoints.deliveries.query({ endpointId: endpoint.id });
      return list.find((d) => d.publicId === msg.body.id && d.status !== "PENDING");
    });
    expect(shown).toMatchObject({
      status: "SUCCEEDED",
      responseStatus: 200,
      responseExcerpt: "ok, recebido",
      attempts: 1,
    });
    await p.admin.client.webhookEndpoints.update.mutate({ id: endpoint.id, enabled: false });
  });

  it("retries after 500s with backoff and succeeds, keeping the same id; the excerpt is bounded", async () => {
    const { endpoint } = await p.admin.client.webhookEndpoints.create.mutate({
      url: `${receiver.url}/flaky`,
      eventTypes: ["message.received"],
    });
    receiver.answers.set("/flaky", (_r, seen) => (seen.length < 2 ? 500 : 200));
    await customerSays("mensagem que insiste");
    const ok = await until(async () => (at("/flaky").length >= 3 ? at("/flaky") : null), 30_000);
    expect(ok.map((r) => r.body.id)).toEqual([ok[0]?.body.id, ok[0]?.body.id, ok[0]?.body.id]);
    const [d] = await until(async () => {
      const list = await p.admin.client.webhookEndpoints.deliveries.query({ endpointId: endpoint.id });
      return list[0]?.status === "SUCCEEDED" ? list : null;
    });
    expect(d).toMatchObject({ attempts: 3, responseStatus: 200 });
    // The failed attempts' answers were 2,000+ characters: kept excerpts stay within 500.
    const [row] = await p.stack.core.sql<{ n: number }[]>`
      select max(length(response_excerpt))::int as n from webhook_deliveries where endpoint_id = ${endpoint.id}`;
    expect(row?.n).toBeLessThanOrEqual(500);
    await p.admin.client.webhookEndpoints.update.mutate({ id: endpoint.id, enabled: false });
  });

  it("keeps one conversation's events in order while its first delivery is being retried", async () => {
    const { endpoint } = await p.admin.client.webhookEndpoints.create.mutate({
      url: `${receiver.url}/ordered`,
      eventTypes: ["message.received"],
    });
    // The first message fails three times; everything after it must wait for it.
    receiver.answers.set("/ordered", (r, seen) =>
      r.body.data.message.body === "pedido 1" && seen.filter((s) => s.body.id === r.body.id).length < 3 ? 500 : 200,
    );
    // The customer writes at a human pace: each message is stored before the next one arrives.
    let phone: string | undefined;
    for (let i = 1; i <= 5; i++) {
      phone = await customerSays(`pedido ${i}`, phone);
      await until(async () => {
        const [m] = await p.stack.core.sql`select 1 from messages where body = ${`pedido ${i}`}`;
        return m;
      });
    }
    const accepted = await until(async () => {
      const ok = at("/ordered").filter((r, i, all) => all.findIndex((x) => x.body.id === r.body.id) === i);
      return ok.length === 5 ? ok : null;
    }, 30_000);
    expect(accepted.map((r) => r.body.data.message.body)).toEqual([
      "pedido 1",
      "pedido 2",
      "pedido 3",
      "pedido 4",
      "pedido 5",
    ]);
    // Every request (retries included) is in order: nothing overtook the retried head.
    const bodies = at("/ordered").map((r) => Number(String(r.body.data.message.body).split(" ")[1]));
    expect(bodies).toEqual([...bodies].sort((a, b) => a - b));
    expect(bodies.filter((b) => b === 1)).toHaveLength(4);
    await p.admin.client.webhookEndpoints.update.mutate({ id: endpoint.id, enabled: false });
  });

  it("disables an endpoint after repeated failures and tells the admins", async () => {
    const admin2 = await userWithToken(p.stack, "ADMIN");
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    const adminWs = wsClient(p.stack.url, admin2.token);
    const told: Array<{ kind: string; payload: { endpointId: string; failures: number } }> = [];
    const sub = adminWs.client.events.onWebhook.subscribe({}, { onData: (d) => told.push(d.data as never) });
    // A supervisor may not even subscribe.
    const supWs = wsClient(p.stack.url, supervisor.token);
    const refused = new Promise<unknown>((resolve) =>
      supWs.client.events.onWebhook.subscribe({}, { onData: () => resolve("data"), onError: (e) => resolve(e) }),
    );
    try {
      const { endpoint } = await p.admin.client.webhookEndpoints.create.mutate({
        url: `${receiver.url}/down`,
        eventTypes: ["message.received"],
      });
      receiver.answers.set("/down", () => 503);
      await new Promise((r) => setTimeout(r, 300)); // the subscription is listening
      await p.admin.client.webhookEndpoints.sendTest.mutate({ endpointId: endpoint.id });
      const off = await until(async () => {
        const list = await p.admin.client.webhookEndpoints.list.query();
        const e = list.find((x) => x.id === endpoint.id);
        return e && !e.enabled ? e : null;
      }, 30_000);
      expect(off).toMatchObject({ disabledReason: "failures", consecutiveFailures: 4 });
      expect(at("/down")).toHaveLength(4);
      const event = await until(async () => told.find((e) => e.kind === "webhook.disabled"));
      expect(event.payload).toMatchObject({ endpointId: endpoint.id, failures: 4 });
      expect(await refused).toBeInstanceOf(TRPCClientError);
      // Disabled: no test delivery until an admin turns it back on.
      expect(await reasonOf(p.admin.client.webhookEndpoints.sendTest.mutate({ endpointId: endpoint.id }))).toBe(
        "WEBHOOK_ENDPOINT_DISABLED",
      );
      // Back on, failures forgiven: the waiting delivery goes out.
      receiver.answers.set("/down", () => 200);
      await p.admin.client.webhookEndpoints.update.mutate({ id: endpoint.id, enabled: true });
      await until(async () => {
        const [d] = await p.admin.client.webhookEndpoints.deliveries.query({ endpointId: endpoint.id });
        return d?.status === "SUCCEEDED";
      }, 30_000);
      await p.admin.client.webhookEndpoints.update.mutate({ id: endpoint.id, enabled: false });
    } finally {
      sub.unsubscribe();
      void adminWs.ws.close();
      void supWs.ws.close();
    }
  });

  it("sends a test and resends a delivery with the same id", async () => {
    const { endpoint, secret } = await p.admin.client.webhookEndpoints.create.mutate({
      url: `${receiver.url}/manual`,
      eventTypes: ["conversation.closed"],
    });
    await p.admin.client.webhookEndpoints.sendTest.mutate({ endpointId: endpoint.id });
    const test = await until(async () => at("/manual")[0]);
    expect(test.body.type).toBe("webhook.test");
    expect(verifyWebhookSignature(secret, test.raw, String(test.headers["x-elsehu-signature"]))).toBe(true);
    const [d] = await until(async () => {
      const list = await p.admin.client.webhookEndpoints.deliveries.query({ endpointId: endpoint.id });
      return list[0]?.status === "SUCCEEDED" ? list : null;
    });
    await p.admin.client.webhookEndpoints.resend.mutate({ endpointId: endpoint.id, deliveryId: d?.id ?? 0 });
    const again = await until(async () => at("/manual")[1]);
    expect(again.body.id).toBe(test.body.id);
    // The secret can be revealed by an admin, and is the one that signs.
    const { secret: revealed } = await p.admin.client.webhookEndpoints.revealSecret.mutate({ id: endpoint.id });
    expect(revealed).toBe(secret);
    await p.admin.client.webhookEndpoints.update.mutate({ id: endpoint.id, enabled: false });
  });

  it("refuses URLs that point at private, loopback or link-local addresses, with a reason", async () => {
    p.stack.config.allowPrivateWebhookUrls = false;
    try {
      for (const url of [
        "http://127.0.0.1:8080/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://localhost:9/hook",
      ]) {
        expect(
          await reasonOf(p.admin.client.webhookEndpoints.create.mutate({ url, eventTypes: ["message.received"] })),
        ).toBe("PRIVATE_WEBHOOK_URL");
      }
      expect(
        await reasonOf(
          p.admin.client.webhookEndpoints.create.mutate({
            url: "ftp://example.com/x",
            eventTypes: ["message.received"],
          }),
        ),
      ).toBe("INVALID_INPUT");
    } finally {
      p.stack.config.allowPrivateWebhookUrls = true;
    }
  });

  it("lets only admins manage endpoints", async () => {
    const [endpoint] = await p.admin.client.webhookEndpoints.list.query();
    for (const role of ["OPERATOR", "SUPERVISOR"] as const) {
      const u = await userWithToken(p.stack, role);
      const calls = [
        () => u.client.webhookEndpoints.list.query(),
        () => u.client.webhookEndpoints.create.mutate({ url: `${receiver.url}/x`, eventTypes: ["message.received"] }),
        () => u.client.webhookEndpoints.revealSecret.mutate({ id: endpoint?.id ?? "" }),
        () => u.client.webhookEndpoints.deliveries.query({ endpointId: endpoint?.id ?? "" }),
      ];
      for (const call of calls) {
        const err = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect((err as { data?: { code?: string } } | null)?.data?.code).toBe("FORBIDDEN");
      }
    }
  });
});
