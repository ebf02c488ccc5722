import { listJobs } from "@elsehu/core";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assign,
  EVO_INSTANCE,
  META_PNID,
  messageByProviderId,
  type Pipeline,
  startPipeline,
  until,
} from "./pipeline-helpers";

let p: Pipeline;
let operator: Awaited<ReturnType<typeof userWithToken>>;
const conv: Record<"META" | "EVOLUTION", string> = { META: "", EVOLUTION: "" };
const IDS = { META: ["wamid.RT-1", "wamid.RT-2", "wamid.RT-3"], EVOLUTION: ["3ART00001", "3ART00002", "3ART00003"] };
const CUSTOMER = { META: "+5511987654321", EVOLUTION: "+5521998877665" };

beforeAll(async () => {
  p = await startPipeline();
  operator = await userWithToken(p.stack, "OPERATOR");
  for (const provider of ["META", "EVOLUTION"] as const) {
    // Providers stamp messages in whole seconds: the customer's three come one after the other in one second,
    // so their times tie and only the order they came in says which is the newest.
    const at = Math.floor(Date.now() / 1000);
    for (const id of IDS[provider]) {
      await p.sim.injectInbound(provider, { from: CUSTOMER[provider], body: id, id, at });
      await until(() => messageByProviderId(p.stack, id));
    }
    const rows = await p.stack.core.sql<{ conversation_id: string; at: string }[]>`
      select distinct conversation_id, created_at::text as at from messages where provider_message_id in ${p.stack.core.sql(IDS[provider])}`;
    expect(rows).toHaveLength(1);
    conv[provider] = rows[0]?.conversation_id ?? "";
    // Assigning moves nothing a reader sees (it rewrites the messages' copy of the operator, so their rows).
    await assign(p.stack, conv[provider], operator.user.id);
  }
});
afterAll(async () => {
  await p.close();
});

const requests = (path: string) => p.sim.received.filter((r) => r.method === "POST" && r.path.endsWith(path));

describe("read receipts", () => {
  it("marks the customer's messages read at Meta when his operator opens the conversation, once", async () => {
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    await supervisor.client.conversations.markRead.mutate({ id: conv.META });
    await operator.client.conversations.markRead.mutate({ id: conv.META });
    const path = `/${META_PNID}/messages`;
    const read = await until(async () => requests(path).find((r) => (r.body as { status?: string }).status === "read"));
    expect(read.body).toEqual({ messaging_product: "whatsapp", status: "read", message_id: "wamid.RT-3" });
    await until(async () => {
      const rows = await p.stack.core.sql`select count(*)::int as n from messages
        where conversation_id = ${conv.META} and direction = 'IN' and read_at is not null`;
      return rows[0]?.n === 3;
    });
    await operator.client.conversations.markRead.mutate({ id: conv.META });
    await until(async () => (await listJobs(p.stack.core, { task: "messages/mark_read" })).length === 0);
    // The supervisor's look and the second open sent nothing more.
    expect(requests(path).filter((r) => (r.body as { status?: string }).status === "read")).toHaveLength(1);
  });

  it("marks all three messages read on Evolution in one markMessageAsRead call", async () => {
    await operator.client.conversations.markRead.mutate({ id: conv.EVOLUTION });
    const read = await until(async () => requests(`/chat/markMessageAsRead/${EVO_INSTANCE}`)[0]);
    const { readMessages } = read.body as { readMessages: { id: string }[] };
    expect([...readMessages].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      IDS.EVOLUTION.map((id) => ({ remoteJid: "5521998877665@s.whatsapp.net", fromMe: false, id })),
    );
  });
});

describe("messages of one second", () => {
  it("are listed in the order the customer sent them, newest first", async () => {
    for (const provider of ["META", "EVOLUTION"] as const) {
      const page = await operator.client.messages.list.query({ conversationId: conv[provider] });
      expect(page.items.map((m) => m.body)).toEqual([...IDS[provider]].reverse());
      // Paging one by one keeps that order too (the cursor is a message of the same second).
      const bodies: (string | null)[] = [];
      let cursor: string | undefined;
      do {
        const one = await operator.client.messages.list.query({ conversationId: conv[provider], cursor, limit: 1 });
        bodies.push(...one.items.map((m) => m.body));
        cursor = one.nextCursor ?? undefined;
      } while (cursor);
      expect(bodies).toEqual([...IDS[provider]].reverse());
    }
  });
});

describe("typing indicator", () => {
  it("shows typing on Meta with the newest message id, at most once per 5 seconds", async () => {
    const first = await operator.client.conversations.typing.mutate({ id: conv.META });
    const second = await operator.client.conversations.typing.mutate({ id: conv.META });
    // Two keystrokes inside one window: one indicator (unless the window turned between them).
    expect(first.queued || second.queued).toBe(true);
    const typing = await until(async () =>
      requests(`/${META_PNID}/messages`).find((r) => (r.body as { typing_indicator?: unknown }).typing_indicator),
    );
    expect(typing.body).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.RT-3",
      typing_indicator: { type: "text" },
    });
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => operator.client.conversations.typing.mutate({ id: conv.META })),
    );
    expect(burst.filter((b) => b.queued).length).toBeLessThanOrEqual(1);
  });

  it("shows composing on Evolution, and refuses another operator", async () => {
    await operator.client.conversations.typing.mutate({ id: conv.EVOLUTION });
    const presence = await until(async () => requests(`/chat/sendPresence/${EVO_INSTANCE}`)[0]);
    expect(presence.body).toEqual({ number: "5521998877665", presence: "composing", delay: 3000 });
    const other = await userWithToken(p.stack, "OPERATOR");
    const denied = await other.client.conversations.typing.mutate({ id: conv.EVOLUTION }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ data: { code: "FORBIDDEN" } });
  });
});
