import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { metaWebhookEnvelope } from "@elsehu/providers/simulator";
import { userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  META_PNID,
  messageByProviderId,
  type Pipeline,
  startPipeline,
  until,
  untilMediaReady,
} from "./pipeline-helpers";

let p: Pipeline;
const CUSTOMER = "5511987651111";
const contacts = [{ profile: { name: "Cliente Foto" }, wa_id: CUSTOMER }];

beforeAll(async () => {
  // Three downloads before "mídia indisponível", retried after 100 ms then 200 ms.
  p = await startPipeline({ config: { mediaFetchAttempts: 3, mediaRetryBaseMs: 100 } });
});
afterAll(async () => {
  await p.close();
});

/** A customer's image served by the simulator under `mediaId`, as Meta's webhook announces it. */
function imageMessage(id: string, mediaId: string, caption: string, opts: { at?: Date; type?: string } = {}) {
  const type = opts.type ?? "image";
  const timestamp = String(Math.floor((opts.at ?? new Date()).getTime() / 1000));
  return { from: CUSTOMER, id, timestamp, type, [type]: { id: mediaId, mime_type: "image/jpeg", caption } };
}

const post = (messages: unknown[]) =>
  p.sim.postWebhook("META", metaWebhookEnvelope({ contacts, messages }, { phoneNumberId: META_PNID }));

async function listed(providerMessageId: string) {
  const row = await until(() => messageByProviderId(p.stack, providerMessageId));
  const page = await p.admin.client.messages.list.query({ conversationId: row.conversation_id });
  const item = page.items.find((m) => m.id === row.id);
  if (!item) throw new Error(`${providerMessageId} not listed`);
  return item;
}

const mediaEvent = (messageId: string) =>
  until(async () => p.events.find((e) => e.kind === "message.updated" && e.payload.messageId === messageId));

describe("inbound media: the message first, its file after", () => {
  it("shows the caption and the text of the same webhook at once while the media endpoint fails, then the file", async () => {
    const bytes = Buffer.from("jpeg-bytes-after-the-outage");
    p.sim.storeMedia("media-outage-1", { bytes, mimeType: "image/jpeg" });
    p.sim.fail({ provider: "META", kind: "500", times: 2, route: "media" });
    expect(
      await post([
        imageMessage("wamid.MEDIA-OUT-1", "media-outage-1", "foto do pedido"),
        {
          from: CUSTOMER,
          id: "wamid.MEDIA-OUT-2",
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: "text",
          text: { body: "chegou quebrado" },
        },
      ]),
    ).toBe(200);
    const image = await listed("wamid.MEDIA-OUT-1");
    expect(image).toMatchObject({ type: "image", body: "foto do pedido" });
    expect((await listed("wamid.MEDIA-OUT-2")).body).toBe("chegou quebrado");

    const ready = await untilMediaReady(p.stack, "wamid.MEDIA-OUT-1");
    expect(ready.media).toMatchObject({ state: "ready", size: bytes.length, mimeType: "image/jpeg" });
    expect((await mediaEvent(ready.id)).payload).toMatchObject({
      change: "media",
      conversationId: ready.conversation_id,
    });
    const file = await fetch(`${p.stack.url}/media/${ready.id}`, {
      headers: { authorization: `Bearer ${p.admin.token}` },
    });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
    // Two lookups failed and the third succeeded: the outage cost only retries of the media.
    const lookups = p.sim.received.filter((r) => r.method === "GET" && r.path.endsWith("/media-outage-1"));
    expect(lookups.length).toBeGreaterThanOrEqual(3);
  });

  it("marks the media unavailable after its retries, and fetches it again when staff ask", async () => {
    const bytes = Buffer.from("jpeg-fetched-on-request");
    p.sim.storeMedia("media-down-1", { bytes, mimeType: "image/jpeg" });
    p.sim.fail({ provider: "META", kind: "500", times: 3, route: "media" });
    await post([imageMessage("wamid.MEDIA-DOWN-1", "media-down-1", "nota fiscal")]);
    const failed = await until(async () => {
      const m = await messageByProviderId(p.stack, "wamid.MEDIA-DOWN-1");
      return m?.media?.state === "failed" ? m : undefined;
    });
    expect(failed.body).toBe("nota fiscal");
    expect((await listed("wamid.MEDIA-DOWN-1")).media).toMatchObject({ state: "failed" });

    const stranger = await userWithToken(p.stack, "OPERATOR");
    await expect(stranger.client.messages.refetchMedia.mutate({ messageId: failed.id })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    expect(await p.admin.client.messages.refetchMedia.mutate({ messageId: failed.id })).toEqual({ state: "pending" });
    const ready = await untilMediaReady(p.stack, "wamid.MEDIA-DOWN-1");
    expect(ready.media).toMatchObject({ size: bytes.length });
    await expect(p.admin.client.messages.refetchMedia.mutate({ messageId: failed.id })).rejects.toMatchObject({
      data: { code: "CONFLICT" },
    });
  });

  it("says a Meta media older than 30 days expired, and refuses to ask again", async () => {
    p.sim.storeMedia("media-old-1", { bytes: Buffer.from("old"), mimeType: "image/jpeg" });
    const at = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await post([imageMessage("wamid.MEDIA-OLD-1", "media-old-1", "foto antiga", { at })]);
    const expired = await until(async () => {
      const m = await messageByProviderId(p.stack, "wamid.MEDIA-OLD-1");
      return m?.media?.state === "expired" ? m : undefined;
    });
    const refused = await p.admin.client.messages.refetchMedia.mutate({ messageId: expired.id }).catch((e) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect(refused.data.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/30 days/);
  });

  it("refuses an image over 5 MB and a sticker over 500 KB at once, keeping nothing of them", async () => {
    const storage = join(p.stack.config.storagePath, "media");
    const before: string[] = await readdir(storage).catch(() => []);
    p.sim.storeMedia("media-big-1", { bytes: new Uint8Array(5 * 1024 * 1024 + 1), mimeType: "image/jpeg" });
    p.sim.storeMedia("media-big-2", { bytes: new Uint8Array(500 * 1024 + 1), mimeType: "image/webp" });
    await post([
      imageMessage("wamid.MEDIA-BIG-1", "media-big-1", "grande demais"),
      imageMessage("wamid.MEDIA-BIG-2", "media-big-2", "", { type: "sticker" }),
    ]);
    for (const id of ["wamid.MEDIA-BIG-1", "wamid.MEDIA-BIG-2"]) {
      const failed = await until(async () => {
        const m = await messageByProviderId(p.stack, id);
        return m?.media?.state === "failed" ? m : undefined;
      });
      expect(failed.media?.error).toMatch(/MEDIA_TOO_LARGE/);
    }
    const lookups = p.sim.received.filter((r) => r.method === "GET" && /media-big-\d$/.test(r.path));
    expect(lookups).toHaveLength(2);
    const after: string[] = await readdir(storage).catch(() => []);
    expect(after.filter((f) => !before.includes(f))).toEqual([]);
  });
});
