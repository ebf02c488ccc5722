import { type CoreContext, drainQueue, setPresence, transferConversation } from "@elsehu/core";
import { type Stack, startStack } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  arrive,
  conversationRow,
  fakeNode,
  makeContact,
  makeInstance,
  makeOperator,
  userRow,
} from "./conversation-fixtures";

let stack: Stack;
let core: CoreContext;
beforeAll(async () => {
  // No worker: these tests drain the queue themselves, deterministically.
  stack = await startStack({ worker: false });
  core = stack.core;
});
afterAll(async () => {
  await stack.close();
});

/**
 * Each test starts with nobody online and an empty queue. The sockets go too:
 * the API's presence sweep brings back online an OFFLINE user with a live one.
 */
async function reset() {
  await core.sql`delete from presence_connections`;
  await core.sql`update users set presence = 'OFFLINE'`;
  await core.sql`update conversations set status = 'CLOSED', closed_at = now() where status in ('WAITING', 'OPEN')`;
}

async function waitingConversations(
  n: number,
  start = Date.now() - 60_000,
  queuedAt = (i: number) => start + i * 1000,
) {
  const inst = await makeInstance(core);
  const out = [];
  for (let i = 0; i < n; i++) {
    const contact = await makeContact(core);
    out.push((await arrive(core, contact.id, inst.id, new Date(queuedAt(i)))).conversation);
  }
  return out;
}

describe("automatic assignment rules", () => {
  it("leaves conversations waiting while nobody is online, and assigns them when someone comes online", async () => {
    await reset();
    const [c] = await waitingConversations(1);
    const op = await makeOperator(core);
    expect((await drainQueue(core)).assigned).toBe(0);
    expect((await conversationRow(core, c?.id ?? "")).status).toBe("WAITING");
    await (await fakeNode(core)).connect(op.id);
    await drainQueue(core);
    const after = await conversationRow(core, c?.id ?? "");
    expect(after.status).toBe("OPEN");
    expect(after.operatorId).toBe(op.id);
    expect(after.firstAssignedAt).not.toBeNull();
    expect((await userRow(core, op.id)).lastAssignedAt).not.toBeNull();
  });

  it("gives the conversation to the operator with the fewest open ones, then to the one idle the longest", async () => {
    await reset();
    const node = await fakeNode(core);
    const busy = await makeOperator(core);
    const idleLong = await makeOperator(core);
    const idleShort = await makeOperator(core);
    for (const o of [busy, idleLong, idleShort]) await node.connect(o.id);
    await core.sql`update users set last_assigned_at = now() - make_interval(secs => 3600) where id = ${idleLong.id}`;
    await core.sql`update users set last_assigned_at = now() - make_interval(secs => 60) where id = ${idleShort.id}`;
    await core.sql`update users set last_assigned_at = now() - make_interval(secs => 7200) where id = ${busy.id}`;
    // busy already has one open conversation.
    const [pre] = await waitingConversations(1);
    await transferConversation(
      core,
      { id: busy.id, role: "SUPERVISOR", name: "s" },
      { id: pre?.id ?? "", operatorId: busy.id },
    );

    const [first, second, third] = await waitingConversations(3);
    await drainQueue(core);
    expect((await conversationRow(core, first?.id ?? "")).operatorId).toBe(idleLong.id);
    expect((await conversationRow(core, second?.id ?? "")).operatorId).toBe(idleShort.id);
    // Now all three have one open: busy has been idle the longest.
    expect((await conversationRow(core, third?.id ?? "")).operatorId).toBe(busy.id);
  });

  it("never exceeds an operator's capacity and drains the queue oldest first", async () => {
    await reset();
    const op = await makeOperator(core, { maxConcurrent: 2 });
    await (await fakeNode(core)).connect(op.id);
    // Inserted in this order, queued in another (ids and creation follow insertion, queued_at does not):
    // a queue read by id or insertion would serve the first two rows.
    const start = Date.now() - 60_000;
    const queued = [3, 1, 4, 2];
    const convs = await waitingConversations(4, start, (i) => start + (queued[i] ?? 0) * 1000);
    await drainQueue(core);
    const rows = await Promise.all(convs.map((c) => conversationRow(core, c.id)));
    expect(rows.map((r) => r.queuedAt.getTime() - start)).toEqual([3000, 1000, 4000, 2000]);
    // The two queued first (1 s and 2 s) are served; the others wait.
    expect(rows.map((r) => r.status)).toEqual(["WAITING", "OPEN", "WAITING", "OPEN"]);
  });

  it("gives nothing new to a paused operator, who keeps his current conversations, and resumes when he is back", async () => {
    await reset();
    const op = await makeOperator(core);
    await (await fakeNode(core)).connect(op.id);
    const [a] = await waitingConversations(1);
    await drainQueue(core);
    const actor = { id: op.id, role: "OPERATOR" as const, name: op.name };
    await setPresence(core, actor, { status: "PAUSED", reason: "almoço" });
    const [b] = await waitingConversations(1);
    await drainQueue(core);
    expect((await conversationRow(core, a?.id ?? "")).operatorId).toBe(op.id);
    expect((await conversationRow(core, b?.id ?? "")).status).toBe("WAITING");
    await setPresence(core, actor, { status: "ONLINE" });
    await drainQueue(core);
    expect((await conversationRow(core, b?.id ?? "")).operatorId).toBe(op.id);
  });

  it("skips inactive users and non-operators", async () => {
    await reset();
    const node = await fakeNode(core);
    const inactive = await makeOperator(core);
    await node.connect(inactive.id);
    await core.sql`update users set active = false where id = ${inactive.id}`;
    const sup = await makeOperator(core);
    await node.connect(sup.id);
    await core.sql`update users set role = 'SUPERVISOR' where id = ${sup.id}`;
    const [c] = await waitingConversations(1);
    await drainQueue(core);
    expect((await conversationRow(core, c?.id ?? "")).status).toBe("WAITING");
  });

  it("records the first assignment once: back to the queue and reassigned keeps first_assigned_at", async () => {
    await reset();
    const op = await makeOperator(core);
    await (await fakeNode(core)).connect(op.id);
    const [c] = await waitingConversations(1);
    await drainQueue(core);
    const first = (await conversationRow(core, c?.id ?? "")).firstAssignedAt;
    await transferConversation(
      core,
      { id: op.id, role: "OPERATOR", name: op.name },
      { id: c?.id ?? "", operatorId: null },
    );
    expect((await conversationRow(core, c?.id ?? "")).status).toBe("WAITING");
    await drainQueue(core);
    const again = await conversationRow(core, c?.id ?? "");
    expect(again.status).toBe("OPEN");
    expect(again.firstAssignedAt?.getTime()).toBe(first?.getTime());
  });
});
