import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../harness";
import { type Cluster, clusterUser, startCluster, until } from "./harness";
import { connectOperators, type Operator } from "./operators";
import {
  type MetaNumber,
  messagesOf,
  metaInboundRaw,
  metaNumberThroughApi,
  pool,
  postMetaRaw,
  unprocessedWebhooks,
} from "./pipeline-flow";
import { writeResult } from "./results";

/**
 * Message pipeline and contact import on the cluster (2 APIs, 2 workers), one
 * cluster for three scenarios run in order: duplicated webhooks, a failing
 * provider under messages.send, and a worker SIGKILLed mid CSV import.
 */

let cluster: Cluster;
let number: MetaNumber;
let admin: Awaited<ReturnType<typeof clusterUser>>;
let operator: Operator;
/** message.created payloads the operator's socket received (message id and event id). */
const created: Array<{ eventId: number; messageId: string }> = [];
const run = Date.now().toString(36);
const CONTACTS = 50;
const COPIES = 20;
const phoneOf = (i: number) => `+55119${String(70_000_000 + i)}`;

beforeAll(async () => {
  // Sends give up after 1 s (the simulator holds a "timeout" for 3 s, then answers 504).
  cluster = await startCluster({
    name: "pipeline-faults",
    simulator: { hangMs: 3000 },
    env: { PROVIDER_TIMEOUT_MS: "1000" },
  });
  const urls = cluster.apis.map((a) => a.url);
  admin = await clusterUser(cluster, "ADMIN", urls[0] ?? "");
  number = await metaNumberThroughApi(cluster, urls[0] ?? "", admin.token);
  const [op] = await connectOperators(cluster, 1);
  if (!op) throw new Error("operator expected");
  operator = op;
  operator.client.events.onMessage.subscribe(
    {},
    {
      onData: (d) => {
        if (d.data.kind === "message.created") {
          created.push({ eventId: d.data.id, messageId: String(d.data.payload.messageId) });
        }
      },
    },
  );
}, 120_000);
afterAll(async () => {
  operator?.ws.close();
  await cluster?.close();
});

/** Posts COPIES copies of each message, shuffled, 40 in flight, alternating the two APIs. */
async function deliverCopies(messages: Array<{ from: string; id: string; body: string }>) {
  const urls = cluster.apis.map((a) => a.url);
  const posts = messages.flatMap((m, i) =>
    Array.from({ length: COPIES }, (_, k) => ({
      url: urls[(i + k) % urls.length] ?? "",
      raw: metaInboundRaw(number, m),
    })),
  );
  for (let i = posts.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [posts[i], posts[j]] = [posts[j] as (typeof posts)[number], posts[i] as (typeof posts)[number]];
  }
  const statuses = await pool(
    40,
    posts.map((p) => () => postMetaRaw(p.url, number, p.raw)),
  );
  const tally: Record<string, number> = {};
  for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
  return { posts: posts.length, tally };
}

describe("cluster: the same webhook many times, concurrently, to both APIs", () => {
  it("stores one message per provider id, one conversation per contact, and pushes each message.created once", async () => {
    const first = Array.from({ length: CONTACTS }, (_, i) => ({
      from: phoneOf(i),
      id: `wamid.DUP1.${run}.${i}`,
      body: `primeira ${i}`,
    }));
    const second = first.map((m, i) => ({ ...m, id: `wamid.DUP2.${run}.${i}`, body: `segunda ${i}` }));
    const startedAt = Date.now();
    // New contacts: copies race on the contact, the conversation and the message.
    const a = await deliverCopies(first);
    await until(async () => (await unprocessedWebhooks(cluster)) === 0, 60_000, "first wave processed");
    // The worker gives every new conversation to the online operator...
    await until(
      async () => {
        const [r] = await cluster.core.sql<{ n: number }[]>`
          select count(*)::int as n from conversations where instance_id = ${number.id}
            and status = 'OPEN' and operator_id = ${operator.user.id}`;
        return r?.n === CONTACTS;
      },
      30_000,
      "conversations assigned",
    );
    // ...so the second wave's message.created events are his.
    const b = await deliverCopies(second);
    await until(async () => (await unprocessedWebhooks(cluster)) === 0, 60_000, "second wave processed");
    const processedMs = Date.now() - startedAt;

    const ids = [...first, ...second].map((m) => m.id);
    const rows = await messagesOf(cluster, number.id, ids);
    const perId = new Map<string, number>();
    for (const r of rows) perId.set(r.provider_message_id, (perId.get(r.provider_message_id) ?? 0) + 1);
    const missingMessages = ids.filter((id) => !perId.has(id)).length;
    const extraMessages = rows.length - perId.size;
    const conversations = await cluster.core.sql<{ contact_id: string; n: number }[]>`
      select contact_id, count(*)::int as n from conversations where instance_id = ${number.id} group by contact_id`;
    const extraConversations = conversations.reduce((n, c) => n + c.n - 1, 0);
    const [contacts] = await cluster.core.sql<{ n: number }[]>`
      select count(*)::int as n from contacts where phone in (select jsonb_array_elements_text(${JSON.stringify(first.map((m) => m.from))}::jsonb))`;
    const messageIds = rows.map((r) => r.id);
    const events = await cluster.core.sql<{ message_id: string; n: number }[]>`
      select payload->>'messageId' as message_id, count(*)::int as n from events where kind = 'message.created'
        and payload->>'messageId' in (select jsonb_array_elements_text(${JSON.stringify(messageIds)}::jsonb))
      group by 1`;
    const extraEvents = events.reduce((n, e) => n + e.n - 1, 0);
    // The operator's socket: each second-wave message exactly once (wait for stragglers).
    const secondIds = rows.filter((r) => r.provider_message_id.startsWith("wamid.DUP2.")).map((r) => r.id);
    const socketCount = (id: string) => created.filter((c) => c.messageId === id).length;
    const end = Date.now() + 10_000;
    while (secondIds.some((id) => socketCount(id) === 0) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    const socketMissing = secondIds.filter((id) => socketCount(id) === 0).length;
    const socketRepeats = secondIds.reduce((n, id) => n + Math.max(0, socketCount(id) - 1), 0);

    writeResult({
      scenario: "webhook-duplicates",
      title: "Same webhook many times, concurrently, to both API processes",
      promise: "one message per provider id, one conversation per contact, message.created pushed once",
      lost: missingMessages + (CONTACTS - (contacts?.n ?? 0)) + socketMissing,
      duplicated: extraMessages + extraConversations + extraEvents + socketRepeats,
      recoveryMs: null,
      details: {
        messages: ids.length,
        copiesEach: COPIES,
        posts: a.posts + b.posts,
        answers: { firstWave: a.tally, secondWave: b.tally },
        contacts: contacts?.n,
        conversations: conversations.length,
        extraMessages,
        extraConversations,
        extraEvents,
        socket: { expected: secondIds.length, missing: socketMissing, repeats: socketRepeats },
        processedMs,
      },
    });
    expect(a.tally).toEqual({ 200: CONTACTS * COPIES });
    expect(b.tally).toEqual({ 200: CONTACTS * COPIES });
    expect(rows).toHaveLength(ids.length);
    expect(perId.size).toBe(ids.length);
    expect(contacts?.n).toBe(CONTACTS);
    expect(conversations).toHaveLength(CONTACTS);
    expect(extraConversations).toBe(0);
    expect(events).toHaveLength(ids.length);
    expect(extraEvents).toBe(0);
    expect(socketMissing).toBe(0);
    expect(socketRepeats).toBe(0);
  }, 150_000);
});
