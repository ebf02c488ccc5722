import { randomUUID } from "node:crypto";
import { beatNode, type CoreContext, findOrOpenConversation, openConnection } from "@elsehu/core";
import { contacts, type conversations, messages, serviceInstances, users } from "@elsehu/db";

/** Test data made directly in the database: instances, contacts, waiting conversations, fake sockets. */
export async function makeInstance(core: CoreContext, name = `inst-${randomUUID().slice(0, 6)}`) {
  const [row] = await core.db.insert(serviceInstances).values({ name, provider: "META", secrets: "x" }).returning();
  if (!row) throw new Error("no instance");
  return row;
}

let phone = 5511900000000;
export async function makeContact(core: CoreContext, name = "Cliente") {
  phone++;
  const p = `+${phone}`;
  const [row] = await core.db
    .insert(contacts)
    .values({ name, phone: p, phoneKey: p, searchText: `${name.toLowerCase()} ${p.slice(1)}` })
    .returning();
  if (!row) throw new Error("no contact");
  return row;
}

/** What the message pipeline does for an inbound message from a contact: find or open the conversation. */
export async function arrive(
  core: CoreContext,
  contactId: string,
  instanceId: string,
  now = core.now(),
  departmentId: string | null = null,
) {
  return core.db.transaction((tx) => findOrOpenConversation(tx, { contactId, instanceId, now, departmentId }));
}

export async function insertMessage(
  core: CoreContext,
  conv: { id: string; instanceId: string },
  over: { direction?: "IN" | "OUT"; body?: string; createdAt?: Date } = {},
) {
  const [row] = await core.db
    .insert(messages)
    .values({
      conversationId: conv.id,
      instanceId: conv.instanceId,
      direction: over.direction ?? "IN",
      type: "text",
      body: over.body ?? "oi",
      createdAt: over.createdAt ?? new Date(),
    })
    .returning();
  if (!row) throw new Error("no message");
  return row;
}

/** A node that is not an API process: lets tests mark users connected without opening sockets. */
export async function fakeNode(core: CoreContext) {
  const nodeId = `test-${randomUUID()}`;
  await beatNode(core, nodeId, []);
  return {
    nodeId,
    connect: (userId: string) => openConnection(core, { id: randomUUID(), userId, nodeId }),
  };
}

export async function conversationRow(core: CoreContext, id: string): Promise<typeof conversations.$inferSelect> {
  const row = await core.db.query.conversations.findFirst({ where: (c, { eq }) => eq(c.id, id) });
  if (!row) throw new Error("conversation not found");
  return row;
}

export async function userRow(core: CoreContext, id: string): Promise<typeof users.$inferSelect> {
  const row = await core.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, id) });
  if (!row) throw new Error("user not found");
  return row;
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

let opCounter = 0;
/** An operator row without a password (these tests never log him in). */
export async function makeOperator(core: CoreContext, over: { maxConcurrent?: number; name?: string } = {}) {
  opCounter++;
  const [row] = await core.db
    .insert(users)
    .values({
      name: over.name ?? `Operador ${opCounter}`,
      email: `op${opCounter}-${randomUUID().slice(0, 8)}@test.local`,
      passwordHash: "none",
      role: "OPERATOR",
      maxConcurrent: over.maxConcurrent ?? 5,
    })
    .returning();
  if (!row) throw new Error("no operator");
  return row;
}
