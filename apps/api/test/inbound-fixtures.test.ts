import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { signMetaBody } from "@elsehu/providers";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_CASES, type Listed } from "./inbound-fixtures-cases";
import { assign, EVO_INSTANCE, EVO_SECRET, META_SECRET, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * Every webhook fixture, the shared ones (written from the providers' documentation by
 * others) and the project's copies, posted as the provider would at its route: accepted,
 * applied by the worker, and listed to the console as its kind with its content, or as a
 * change (reaction, edit, deletion) on the message it refers to.
 */
const DIRS = ["/work/shared/fixtures", join(import.meta.dirname, "../../../packages/providers/fixtures")];

type Fixture = { provider: "meta" | "evolution"; name: string; text: string };

/** Webhook bodies only (requests, responses and error samples are other tests' business), one per name. */
async function webhookFixtures(): Promise<Fixture[]> {
  const byName = new Map<string, Fixture>();
  for (const dir of DIRS) {
    for (const provider of ["meta", "evolution"] as const) {
      const files = await readdir(join(dir, provider)).catch(() => [] as string[]);
      for (const name of files.filter((f) => f.startsWith("webhook_") && f.endsWith(".json"))) {
        const text = await readFile(join(dir, provider, name), "utf8");
        const json = JSON.parse(text) as Record<string, unknown>;
        const vector = typeof json.raw_body === "string" ? json.raw_body : null;
        const isWebhook = provider === "meta" ? Array.isArray(json.entry) || vector : typeof json.event === "string";
        if (isWebhook && !byName.has(`${provider}/${name}`))
          byName.set(`${provider}/${name}`, { provider, name, text: vector ?? text });
      }
    }
  }
  // Messages first, then what changes them (a change waits for its target), the number change last.
  const rank = (f: Fixture) =>
    /system/.test(f.name)
      ? 3
      : /reaction_removed|revoke|delete/.test(f.name)
        ? 2
        : /edit|reaction/.test(f.name)
          ? 1
          : 0;
  return [...byName.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

let p: Pipeline;
let fixtures: Fixture[];
/** The mark on the reacted-to message right after each reaction fixture (a later one removes it). */
const reactionsSeen: Record<string, unknown> = {};

beforeAll(async () => {
  p = await startPipeline();
  fixtures = await webhookFixtures();
});
afterAll(async () => {
  await p.close();
});

async function post(f: Fixture) {
  const body = f.provider === "meta" ? f.text : f.text.replaceAll("loja-centro", EVO_INSTANCE);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (f.provider === "meta") headers["x-hub-signature-256"] = signMetaBody(body, META_SECRET);
  else headers["x-webhook-secret"] = EVO_SECRET;
  const path = f.provider === "meta" ? "/webhooks/meta" : `/webhooks/evolution/${p.evolution.id}`;
  const res = await fetch(`${p.stack.url}${path}`, { method: "POST", headers, body });
  await res.arrayBuffer();
  return res.status;
}

const idle = () =>
  until(async () => {
    const [r] = await p.stack.core.sql`select count(*)::int as n from webhook_events where processed_at is null`;
    return r?.n === 0;
  }, 60_000);

/** The business's own earlier message a customer reacts to (no fixture creates it: it was sent before). */
async function seedOutbound(provider: "META" | "EVOLUTION", providerMessageId: string, conversationId: string) {
  const instanceId = provider === "META" ? p.meta.id : p.evolution.id;
  await p.stack.core
    .sql`insert into messages (conversation_id, instance_id, direction, type, body, provider_message_id, status)
    values (${conversationId}, ${instanceId}, 'OUT', 'text', 'Seu pedido saiu', ${providerMessageId}, 'SENT')
    on conflict do nothing`;
}

/** A message as the console lists it, found by its provider id (as `viewer`, default the admin). */
async function listed(providerMessageId: string, viewer = p.admin.client): Promise<Listed> {
  const row = await until(async () => {
    const [r] = await p.stack.core.sql<{ id: string; conversation_id: string }[]>`
      select id, conversation_id from messages where provider_message_id = ${providerMessageId}`;
    return r;
  });
  const page = await viewer.messages.list.query({ conversationId: row.conversation_id, limit: 200 });
  const item = page.items.find((m) => m.id === row.id);
  if (!item) throw new Error(`${providerMessageId} is not listed`);
  return item;
}

describe("every webhook fixture, posted at its route", () => {
  it("has the fixtures of both providers", () => {
    const names = fixtures.map((f) => `${f.provider}/${f.name}`);
    expect(names).toEqual(expect.arrayContaining(Object.keys(KIND_CASES)));
    expect(names.length).toBeGreaterThan(Object.keys(KIND_CASES).length);
  });

  it("accepts each one with 200 and applies it without error", async () => {
    for (const f of fixtures) {
      if (/reaction/.test(f.name)) {
        // The customer reacts to the business's own message: it exists before his reaction does.
        const [conv] = await p.stack.core.sql<{ id: string }[]>`
          select c.id from conversations c where c.instance_id = ${f.provider === "meta" ? p.meta.id : p.evolution.id}
          order by c.created_at desc limit 1`;
        if (!conv) throw new Error("no conversation to react in");
        if (f.provider === "meta")
          await seedOutbound("META", "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGRTdBMjE5QzNEMDhFMUI1QQA=", conv.id);
        else await seedOutbound("EVOLUTION", "3EB0C4A1F2D3E4B5A6C7D8", conv.id);
      }
      expect({ fixture: f.name, status: await post(f) }).toEqual({ fixture: f.name, status: 200 });
      // In order: a change must find the message it changes, as it would in a real exchange.
      await idle();
      if (/reaction\.json$/.test(f.name)) {
        const [row] = await p.stack.core.sql<{ reaction: unknown }[]>`
          select reaction from messages where provider_message_id in
          ('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGRTdBMjE5QzNEMDhFMUI1QQA=', '3EB0C4A1F2D3E4B5A6C7D8')
            and instance_id = ${f.provider === "meta" ? p.meta.id : p.evolution.id}`;
        reactionsSeen[f.provider] = row?.reaction;
      }
    }
    const failed = await p.stack.core.sql`select id, error from webhook_events where error is not null`;
    expect(failed).toEqual([]);
  }, 180_000);

  it("puts a reaction on the message it targets, and a later empty one takes it off", () => {
    expect(reactionsSeen.meta).toMatchObject({ emoji: "👍" });
    expect(reactionsSeen.evolution).toMatchObject({ emoji: "👍" });
  });

  it.each(Object.entries(KIND_CASES))("%s lands as a person reads it", async (_name, kase) => {
    const message = await listed(kase.id);
    kase.check(message);
  });

  it("leaves no message of a known kind as unknown or empty", async () => {
    const rows = await p.stack.core.sql<{ type: string; provider_message_id: string }[]>`
      select type, provider_message_id from messages
      where type = 'unknown' or (body is null and content is null and media is null and type <> 'note')`;
    expect(rows).toEqual([]);
  });

  it("keeps a deleted message's content from the operator, not from staff", async () => {
    const target = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBNUYwQzJCOUU3RDQxQThCNkMzAA==";
    const staffView = await listed(target);
    expect(staffView.deletedAt).not.toBeNull();
    expect(staffView.body).toBeTruthy();
    const operator = await userWithToken(p.stack, "OPERATOR");
    const [row] = await p.stack.core.sql<{ conversation_id: string }[]>`
      select conversation_id from messages where provider_message_id = ${target}`;
    if (!row) throw new Error("deleted message missing");
    await assign(p.stack, row.conversation_id, operator.user.id);
    const operatorView = await listed(target, operator.client);
    expect(operatorView).toMatchObject({ body: null, content: null, media: null });
    expect(operatorView.deletedAt).not.toBeNull();
  });

  it("keeps the ad a conversation came from on the conversation", async () => {
    const message = await listed("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMDZGNzA4MTkyQTNCNEM1RDZFAA==");
    const conversation = await p.admin.client.conversations.get.query({ id: message.conversationId });
    expect(conversation.referral).toMatchObject({
      sourceId: "120210000000000001",
      sourceUrl: "https://fb.me/8Kx2PzQ1a",
    });
  });

  it("re-keys the customer who changed number and shows the notice line", async () => {
    const notice = await listed("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBQTBGMUEyQjNDNEQ1RTZGNzA4AA==");
    expect(notice.type).toBe("system");
    const [contact] = await p.stack.core.sql<{ phone: string }[]>`
      select ct.phone from conversations c join contacts ct on ct.id = c.contact_id where c.id = ${notice.conversationId}`;
    expect(contact?.phone).toBe("+5511976543210");
  });
});
