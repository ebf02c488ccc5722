import { request } from "node:http";
import { isKind } from "@elsehu/core";
import { httpClient, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assign,
  META_PNID,
  messageById,
  messageByProviderId,
  metaStatusWebhook,
  type Pipeline,
  postMeta,
  startPipeline,
  until,
  untilMediaReady,
} from "./pipeline-helpers";

let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
let conversationId: string;
const CUSTOMER = "+5511987654321";

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR");
});
afterAll(async () => {
  await p.close();
});

describe("Meta inbound", () => {
  it("turns a customer's text into a message in a WAITING conversation and pushes message.created", async () => {
    const status = await p.sim.injectInbound("META", {
      from: CUSTOMER,
      body: "Olá, preciso de ajuda",
      id: "wamid.IN1",
      name: "Maria",
    });
    expect(status).toBe(200);
    const message = await until(() => messageByProviderId(p.stack, "wamid.IN1"));
    expect(message).toMatchObject({ direction: "IN", body: "Olá, preciso de ajuda" });
    conversationId = message.conversation_id;
    const [conversation] = await p.stack.core.sql`select c.status, c.unread_count, c.last_inbound_at, ct.phone, ct.name
      from conversations c join contacts ct on ct.id = c.contact_id where c.id = ${conversationId}`;
    expect(conversation).toMatchObject({ status: "WAITING", unread_count: 1, phone: CUSTOMER, name: "Maria" });
    expect(conversation?.last_inbound_at).toBeTruthy();
    const event = await until(async () =>
      p.events.find((e) => e.kind === "message.created" && e.payload.messageId === message.id),
    );
    expect(event.payload).toMatchObject({ conversationId, direction: "IN", operatorId: null });
  });

  it("stores a redelivered webhook once: the same message twice is one message", async () => {
    await p.sim.injectInbound("META", { from: CUSTOMER, body: "duplicada", id: "wamid.DUP" });
    await p.sim.injectInbound("META", { from: CUSTOMER, body: "duplicada", id: "wamid.DUP" });
    await until(async () => {
      const [r] = await p.stack.core.sql`select count(*)::int as n from webhook_events where processed_at is null`;
      return r?.n === 0;
    });
    const rows = await p.stack.core.sql`select id from messages where provider_message_id = 'wamid.DUP'`;
    expect(rows).toHaveLength(1);
    const [conv] = await p.stack.core.sql`select count(*)::int as n from conversations`;
    expect(conv?.n).toBe(1);
  });

  it("downloads inbound media to storage and serves it only to the conversation's operator or staff", async () => {
    const bytes = Buffer.from("fake-jpeg-bytes");
    await p.sim.injectInbound("META", {
      from: CUSTOMER,
      type: "image",
      body: "foto do produto",
      id: "wamid.IMG1",
      media: { mimeType: "image/jpeg", base64: bytes.toString("base64") },
    });
    const message = await untilMediaReady(p.stack, "wamid.IMG1");
    expect(message.media).toMatchObject({ mimeType: "image/jpeg", size: bytes.length });
    await assign(p.stack, conversationId, operator.user.id);
    const mine = await fetch(`${p.stack.url}/media/${message.id}`, {
      headers: { authorization: `Bearer ${operator.token}` },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await mine.arrayBuffer())).toEqual(bytes);
    const other = await userWithToken(p.stack, "OPERATOR");
    const theirs = await fetch(`${p.stack.url}/media/${message.id}`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(theirs.status).toBe(403);
    const anon = await fetch(`${p.stack.url}/media/${message.id}`);
    expect(anon.status).toBe(401);
  });
});

describe("Meta webhook checks", () => {
  const count = async () => (await p.stack.core.sql`select count(*)::int as n from webhook_events`)[0]?.n;

  it("refuses a bad signature with 401 and stores nothing", async () => {
    const before = await count();
    const status = await postMeta(p.stack.url, metaStatusWebhook("wamid.X", "sent"), "wrong-secret");
    expect(status).toBe(401);
    const unsigned = await fetch(`${p.stack.url}/webhooks/meta`, { method: "POST", body: "{}" });
    expect(unsigned.status).toBe(401);
    expect(await count()).toBe(before);
  });

  it("answers 400 to a malformed body and 404 to an unknown phone number id", async () => {
    expect(await postMeta(p.stack.url, null, undefined, "{not json")).toBe(400);
    expect(await postMeta(p.stack.url, { object: "whatsapp_business_account", entry: "x" })).toBe(400);
    const unknown = JSON.parse(JSON.stringify(metaStatusWebhook("wamid.X", "sent")).replace(META_PNID, "999999999"));
    expect(await postMeta(p.stack.url, unknown)).toBe(404);
  });

  it("refuses a body over 3 MB with 413 and stores nothing, whether declared by Content-Length or streamed", async () => {
    const before = await count();
    // Own connections (no keep-alive): the server closes one whose body it did not read.
    const post = (chunks: Buffer[], declared: boolean) =>
      new Promise<number>((resolve, reject) => {
        const length = chunks.reduce((n, c) => n + c.length, 0);
        const req = request(`${p.stack.url}/webhooks/meta`, {
          method: "POST",
          agent: false,
          headers: {
            "content-type": "application/json",
            // Well-formed (a body is read only behind one), though no secret signed it.
            "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
            ...(declared ? { "content-length": length } : {}),
          },
        });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        for (const c of chunks) req.write(c);
        req.end();
      });
    const body = Buffer.from(
      JSON.stringify({ ...metaStatusWebhook("wamid.BIG", "sent"), pad: "x".repeat(3 * 1024 * 1024) }),
    );
    expect(await post([body], true)).toBe(413);
    expect(
      await post(
        Array.from({ length: 60 }, () => Buffer.alloc(64 * 1024, 0x20)),
        false,
      ),
    ).toBe(413);
    expect(await count()).toBe(before);
  });

  it("answers Meta's verification challenge only with the right token", async () => {
    const ok = await fetch(
      `${p.stack.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify-token-abc&hub.challenge=1234`,
    );
    expect(await ok.text()).toBe("1234");
    const bad = await fetch(`${p.stack.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1234`);
    expect(bad.status).toBe(403);
  });
});

describe("Meta outbound", () => {
  it("sends the exact provider JSON, then status webhooks move the message to READ", async () => {
    const queued = await operator.client.messages.send.mutate({
      conversationId,
      body: "Olá Maria, como posso ajudar?",
    });
    expect(queued.status).toBe("QUEUED");
    const sent = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const request = p.sim.sentMessages().find((m) => m.providerMessageId === sent)?.request;
    expect(request).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: CUSTOMER,
      type: "text",
      text: { body: "Olá Maria, como posso ajudar?" },
      biz_opaque_callback_data: queued.id,
    });
    await p.sim.settled();
    await until(async () => (await messageById(p.stack, queued.id))?.status === "READ");
    const read = (e: (typeof p.events)[number]) =>
      e.kind === "message.status" && e.payload.messageId === queued.id && e.payload.status === "READ";
    await until(async () => p.events.some(read));
    const statuses = p.events.filter(isKind("message.status")).filter((e) => e.payload.messageId === queued.id);
    expect(statuses[0]?.payload.operatorId).toBe(operator.user.id);
  });

  it("ends at the highest status whatever order the status webhooks arrive in", async () => {
    const queued = await operator.client.messages.send.mutate({ conversationId, body: "ordem" });
    const id = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    await p.sim.settled();
    await until(async () => (await messageById(p.stack, queued.id))?.status === "READ");
    // Late, out-of-order arrivals after read change nothing.
    expect(await postMeta(p.stack.url, metaStatusWebhook(id, "delivered"))).toBe(200);
    expect(await postMeta(p.stack.url, metaStatusWebhook(id, "sent"))).toBe(200);
    // A message whose statuses come read -> sent -> delivered.
    await p.stack.core
      .sql`insert into messages (conversation_id, instance_id, direction, type, body, provider_message_id, status)
      values (${conversationId}, ${p.meta.id}, 'OUT', 'text', 'manual', 'wamid.ORDER', 'QUEUED')`;
    for (const s of ["read", "sent", "delivered"] as const)
      expect(await postMeta(p.stack.url, metaStatusWebhook("wamid.ORDER", s))).toBe(200);
    await until(async () => {
      const [r] = await p.stack.core.sql`select count(*)::int as n from webhook_events where processed_at is null`;
      return r?.n === 0;
    });
    expect((await messageById(p.stack, queued.id))?.status).toBe("READ");
    expect((await messageByProviderId(p.stack, "wamid.ORDER"))?.status).toBe("READ");
  });

  it("keeps the provider's code and reason of a failed status", async () => {
    await p.stack.core
      .sql`insert into messages (conversation_id, instance_id, direction, type, body, provider_message_id, status)
      values (${conversationId}, ${p.meta.id}, 'OUT', 'text', 'manual', 'wamid.FAIL', 'SENT')`;
    const errors = [
      {
        code: 131026,
        title: "Message undeliverable",
        error_data: { details: "Receiver is incapable of receiving this message" },
      },
    ];
    expect(await postMeta(p.stack.url, metaStatusWebhook("wamid.FAIL", "failed", { errors }))).toBe(200);
    const row = await until(async () => {
      const r = await messageByProviderId(p.stack, "wamid.FAIL");
      return r?.status === "FAILED" ? r : undefined;
    });
    expect(row.error_code).toBe("131026");
    expect(row.error_message).toContain("Receiver is incapable");
  });

  it("retries after a 429 and sends exactly once", async () => {
    p.sim.fail({ provider: "META", times: 1, kind: "429" });
    const queued = await operator.client.messages.send.mutate({ conversationId, body: "depois do 429" });
    await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const attempts = p.sim.received.filter(
      (r) => r.path.endsWith("/messages") && (r.body as { text?: { body?: string } })?.text?.body === "depois do 429",
    );
    expect(attempts).toHaveLength(2);
    expect(
      p.sim.sentMessages().filter((m) => (m.request as { text?: { body?: string } }).text?.body === "depois do 429"),
    ).toHaveLength(1);
    await p.sim.settled();
    await until(async () => (await messageById(p.stack, queued.id))?.status === "READ");
  });

  it("fails at once on a permanent error and shows the provider's reason", async () => {
    p.sim.fail({ provider: "META", times: 1, kind: "131047" });
    const queued = await operator.client.messages.send.mutate({ conversationId, body: "vai falhar" });
    const row = await until(async () => {
      const r = await messageById(p.stack, queued.id);
      return r?.status === "FAILED" ? r : undefined;
    });
    expect(row.error_code).toBe("131047");
    expect(row.error_message).toMatch(/24 hours/);
    const failed = await until(async () =>
      p.events.filter(isKind("message.status")).find((e) => e.payload.messageId === queued.id),
    );
    expect(failed.payload.status).toBe("FAILED");
  });

  it("sends an image: the file is uploaded to Meta and sent by media id", async () => {
    const form = new FormData();
    form.set("conversationId", conversationId);
    form.set("caption", "segue a foto");
    form.set("file", new File([Buffer.from("png-bytes")], "foto.png", { type: "image/png" }));
    const client = httpClient(p.stack.url, operator.token, { batch: false });
    const queued = await client.messages.sendMedia.mutate(form);
    const providerId = await until(async () => (await messageById(p.stack, queued.id))?.provider_message_id);
    const request = p.sim.sentMessages().find((m) => m.providerMessageId === providerId)?.request as {
      type: string;
      image: { id: string; caption: string };
    };
    expect(request.type).toBe("image");
    expect(request.image.caption).toBe("segue a foto");
    expect(p.sim.received.some((r) => r.path.endsWith(`${META_PNID}/media`))).toBe(true);
  });

  it("refuses an oversized or unsupported file before storing anything", async () => {
    const client = httpClient(p.stack.url, operator.token, { batch: false });
    const before = (await p.stack.core.sql`select count(*)::int as n from messages`)[0]?.n;
    const big = new FormData();
    big.set("conversationId", conversationId);
    big.set("file", new File([Buffer.alloc(5 * 1024 * 1024 + 1)], "grande.jpg", { type: "image/jpeg" }));
    await expect(client.messages.sendMedia.mutate(big)).rejects.toThrow(/at most 5 MB/);
    const exe = new FormData();
    exe.set("conversationId", conversationId);
    exe.set("file", new File([Buffer.from("MZ")], "virus.exe", { type: "application/x-msdownload" }));
    await expect(client.messages.sendMedia.mutate(exe)).rejects.toThrow(/cannot be sent/);
    expect((await p.stack.core.sql`select count(*)::int as n from messages`)[0]?.n).toBe(before);
  });
});

describe("who may send, and when", () => {
  it("refuses another operator, and an operator on a conversation not open for him", async () => {
    const other = await userWithToken(p.stack, "OPERATOR");
    const err = await other.client.messages.send.mutate({ conversationId, body: "intruso" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    expect((err as { data?: { code?: string } }).data?.code).toBe("FORBIDDEN");
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    const ok = await supervisor.client.messages.send.mutate({ conversationId, body: "supervisor aqui" });
    expect(ok.status).toBe("QUEUED");
  });

  it("refuses a free-form Meta message outside the 24-hour window, asking for a template", async () => {
    await p.stack.core
      .sql`update conversations set last_inbound_at = now() - interval '25 hours' where id = ${conversationId}`;
    const before = (await p.stack.core.sql`select count(*)::int as n from messages`)[0]?.n;
    const err = await operator.client.messages.send
      .mutate({ conversationId, body: "tarde demais" })
      .catch((e: unknown) => e);
    expect((err as { data?: { code?: string } }).data?.code).toBe("PRECONDITION_FAILED");
    expect((err as Error).message).toMatch(/template/);
    expect((await p.stack.core.sql`select count(*)::int as n from messages`)[0]?.n).toBe(before);
    await p.stack.core.sql`update conversations set last_inbound_at = now() where id = ${conversationId}`;
  });
});
