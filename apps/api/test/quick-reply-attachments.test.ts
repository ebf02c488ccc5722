import { existsSync } from "node:fs";
import { join } from "node:path";
import { httpClient, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * A quick reply's optional file, over the real API (multipart tRPC), worker and
 * the provider simulator: who may attach it, and that sending the quick reply
 * gives the customer the file with the text.
 */
let p: Pipeline;
type User = Awaited<ReturnType<typeof userWithToken>>;
let opA: User;
let opB: User;
let sup: User;
let conversationId = "";
const CUSTOMER = "+5511987650123";
const PDF = Buffer.from("%PDF-1.4\n% catálogo de produtos\n%%EOF\n");
const MP3 = Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]);

async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    const d = err.data as { code?: string; reason?: string } | undefined;
    return `${d?.code}${d?.reason ? `:${d.reason}` : ""}`;
  }
}

/** Multipart `quickReplies.attach`, as the console sends it. */
function attach(user: User, id: string, name: string, type: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set("id", id);
  form.set("file", new File([bytes], name, { type }));
  return httpClient(p.stack.url, user.token, { batch: false }).quickReplies.attach.mutate(form);
}

/** What the simulator received for a queued message, once the worker sent it. */
async function received(messageId: string) {
  const row = await until(async () => {
    const m = await messageById(p.stack, messageId);
    if (m?.status === "FAILED") throw new Error(`send failed: ${m.error_code} ${m.error_message}`);
    return m?.provider_message_id ? m : null;
  });
  const sent = p.sim.sentMessages().find((s) => s.providerMessageId === row.provider_message_id);
  if (!sent) throw new Error("the simulator recorded no such message");
  return sent.request as Record<string, Record<string, unknown>>;
}

beforeAll(async () => {
  p = await startPipeline();
  opA = await userWithToken(p.stack, "OPERATOR", { name: "Ana" });
  opB = await userWithToken(p.stack, "OPERATOR", { name: "Bruno" });
  sup = await userWithToken(p.stack, "SUPERVISOR", { name: "Sara" });
  await p.sim.injectInbound("META", { from: CUSTOMER, body: "Tem catálogo?", id: "wamid.QR-ATTACH-IN" });
  const inbound = await until(() => messageByProviderId(p.stack, "wamid.QR-ATTACH-IN"));
  conversationId = inbound.conversation_id;
  await assign(p.stack, conversationId, opA.user.id);
});
afterAll(async () => {
  await p?.close();
});

describe("quick replies with a file", () => {
  it("a shared reply's PDF goes to the customer as a document captioned with the text", async () => {
    const reply = await sup.client.quickReplies.create.mutate({
      shortcut: "catalogo",
      body: "Segue nosso catálogo, {{nome}}.",
      shared: true,
    });
    const attached = await attach(sup, reply.id, "catálogo.pdf", "application/pdf", PDF);
    expect(attached.attachment).toEqual({ fileName: "catálogo.pdf", mimeType: "application/pdf", size: PDF.length });
    // Operators see the file on the shared reply, never where it is stored.
    const listed = (await opA.client.quickReplies.list.query({})).find((r) => r.id === reply.id);
    expect(listed?.attachment?.fileName).toBe("catálogo.pdf");
    expect(JSON.stringify(listed)).not.toContain("media/");

    const [message, ...more] = await opA.client.quickReplies.send.mutate({
      conversationId,
      quickReplyId: reply.id,
      body: "Segue nosso catálogo, Maria.",
    });
    expect(more).toEqual([]);
    const request = await received(message?.id ?? "");
    expect(request.type).toBe("document");
    expect(request.document).toMatchObject({ caption: "Segue nosso catálogo, Maria.", filename: "catálogo.pdf" });
    const file = p.sim.mediaOf(String(request.document?.id));
    expect(Buffer.from(file?.bytes ?? [])).toEqual(PDF);
  });

  it("an audio takes no caption: the text goes first, then the file", async () => {
    const reply = await opA.client.quickReplies.create.mutate({ shortcut: "audio", body: "Ouça as instruções:" });
    await attach(opA, reply.id, "instrucoes.mp3", "audio/mpeg", MP3);
    const sent = await opA.client.quickReplies.send.mutate({
      conversationId,
      quickReplyId: reply.id,
      body: "Ouça as instruções:",
    });
    expect(sent.map((m) => m.type)).toEqual(["text", "audio"]);
    const [text, audio] = [await received(sent[0]?.id ?? ""), await received(sent[1]?.id ?? "")];
    expect(text.text).toMatchObject({ body: "Ouça as instruções:" });
    expect(audio.type).toBe("audio");
    expect(audio.audio?.voice).toBeUndefined();

    // Without its file the reply is plain text again; the stored file is gone.
    const [row] = await p.stack.core.sql<{ key: string }[]>`select attachment->>'storageKey' as key
      from quick_replies where id = ${reply.id}`;
    const stored = join(p.stack.core.config.storagePath, row?.key ?? "none");
    expect(existsSync(stored)).toBe(true);
    expect((await opA.client.quickReplies.detach.mutate({ id: reply.id })).attachment).toBeNull();
    expect(existsSync(stored)).toBe(false);
    const plain = await opA.client.quickReplies.send.mutate({ conversationId, quickReplyId: reply.id, body: "Oi" });
    expect(plain.map((m) => m.type)).toEqual(["text"]);
  });

  it("refuses files and senders the rules refuse, with a reason", async () => {
    const mine = await opA.client.quickReplies.create.mutate({ shortcut: "minha", body: "Só minha" });
    const shared = (await opA.client.quickReplies.list.query({})).find((r) => r.shortcut === "catalogo");
    expect(await failure(attach(opB, mine.id, "x.pdf", "application/pdf", PDF))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    expect(await failure(attach(opA, shared?.id ?? "", "x.pdf", "application/pdf", PDF))).toBe(
      "FORBIDDEN:QUICK_REPLY_NOT_YOURS",
    );
    expect(await failure(attach(opA, mine.id, "setup.exe", "application/x-msdownload", PDF))).toBe(
      "BAD_REQUEST:FILE_TYPE_REFUSED",
    );
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    expect(await failure(attach(opA, mine.id, "foto.jpg", "image/jpeg", big))).toBe("BAD_REQUEST:FILE_TOO_LARGE");
    // Another operator can neither use A's personal reply nor send into A's conversation.
    expect(
      await failure(opB.client.quickReplies.send.mutate({ conversationId, quickReplyId: mine.id, body: "x" })),
    ).toBe("NOT_FOUND:NOT_FOUND");
    expect(
      await failure(opB.client.quickReplies.send.mutate({ conversationId, quickReplyId: shared?.id ?? "", body: "" })),
    ).toMatch(/^(FORBIDDEN|NOT_FOUND)/);
    expect(p.sim.sentMessages().filter((m) => JSON.stringify(m.request).includes("Só minha"))).toEqual([]);
  });
});
