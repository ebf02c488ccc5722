import { assignWaiting } from "@elsehu/core";
import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, conversationRow, makeContact, makeInstance, userRow, waitFor } from "./conversation-fixtures";

let stack: Stack;
const sockets: Array<{ ws: { close: () => void } }> = [];
beforeAll(async () => {
  stack = await startStack({ api: { presence: { graceSeconds: 1, sweepMs: 200 } } });
});
afterAll(async () => {
  for (const s of sockets) s.ws.close();
  await stack.close();
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCClientError) return (err.data as { code?: string } | undefined)?.code;
    throw err;
  }
}

/** An operator with the console open (a live WebSocket), hence ONLINE. */
async function onlineOperator(maxConcurrent = 5) {
  const u = await userWithToken(stack, "OPERATOR", { maxConcurrent });
  await goOnline(u);
  return u;
}
async function goOnline(u: { user: { id: string }; token: string }) {
  const ws = wsClient(stack.url, u.token);
  sockets.push(ws);
  // Any call opens the socket.
  await ws.client.presence.me.query();
  await waitFor(async () => (await userRow(stack.core, u.user.id)).presence === "ONLINE");
}

let admin: Awaited<ReturnType<typeof userWithToken>>;
async function department(name: string, members: Array<{ userId: string; maxConcurrent?: number }> = []) {
  admin ??= await userWithToken(stack, "ADMIN");
  const d = await admin.client.departments.create.mutate({ name: `${name} ${Math.random().toString(36).slice(2, 6)}` });
  await admin.client.departments.setMembers.mutate({ departmentId: d.id, members });
  return d;
}

async function waitingIn(departmentId: string | null, n = 1) {
  const inst = await makeInstance(stack.core);
  const out = [];
  for (let i = 0; i < n; i++) {
    const contact = await makeContact(stack.core);
    out.push((await arrive(stack.core, contact.id, inst.id, stack.core.now(), departmentId)).conversation);
  }
  return out;
}

const assignedTo = async (id: string) =>
  waitFor(async () => {
    const c = await conversationRow(stack.core, id);
    return c.status === "OPEN" ? c.operatorId : null;
  });

describe("departments", () => {
  it("admins create, edit, archive them and set their members; others cannot; bad input is named", async () => {
    admin ??= await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    const sup = await userWithToken(stack, "SUPERVISOR");
    const d = await admin.client.departments.create.mutate({ name: "Vendas", color: "#16a34a" });
    expect(await codeOf(admin.client.departments.create.mutate({ name: "VENDAS" }))).toBe("CONFLICT");
    expect(await codeOf(admin.client.departments.create.mutate({ name: "X", color: "verde" }))).toBe("BAD_REQUEST");
    expect(await codeOf(op.client.departments.create.mutate({ name: "Outro" }))).toBe("FORBIDDEN");
    expect(await codeOf(sup.client.departments.create.mutate({ name: "Outro" }))).toBe("FORBIDDEN");
    const bad = admin.client.departments.setMembers.mutate({
      departmentId: d.id,
      members: [{ userId: admin.user.id }],
    });
    expect(await codeOf(bad)).toBe("BAD_REQUEST");
    await admin.client.departments.setMembers.mutate({
      departmentId: d.id,
      members: [{ userId: op.user.id, maxConcurrent: 2 }, { userId: sup.user.id }],
    });
    const members = await sup.client.departments.members.query({ id: d.id });
    expect(members.map((m) => [m.name, m.role, m.maxConcurrent])).toEqual(
      [
        [op.user.name, "OPERATOR", 2],
        [sup.user.name, "SUPERVISOR", null],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const updated = await admin.client.departments.update.mutate({ id: d.id, name: "Vendas B2B" });
    expect([updated.name, updated.color]).toEqual(["Vendas B2B", "#16a34a"]);
    // An operator lists active departments (to transfer to), without the staff's figures.
    const seen = await op.client.departments.options.query();
    expect(seen.find((x) => x.id === d.id)).toMatchObject({ name: "Vendas B2B", color: "#16a34a" });
    expect(await codeOf(op.client.departments.members.query({ id: d.id }))).toBe("FORBIDDEN");
    expect(await codeOf(op.client.departments.list.query())).toBe("FORBIDDEN");
    await admin.client.departments.archive.mutate({ id: d.id });
    expect((await op.client.departments.options.query()).map((x) => x.id)).not.toContain(d.id);
    const all = await admin.client.departments.list.query({ includeArchived: true });
    expect(all.find((x) => x.id === d.id)?.archived).toBe(true);
  });

  it("assigns a department's queue only to its members, oldest first; no department goes to anyone", async () => {
    const inSales = await onlineOperator(5);
    const sales = await department("Vendas", [{ userId: inSales.user.id }]);
    const [first, second] = await waitingIn(sales.id, 2);
    expect(await assignedTo(first?.id ?? "")).toBe(inSales.user.id);
    expect(await assignedTo(second?.id ?? "")).toBe(inSales.user.id);
    // A department whose members are all offline keeps its conversations waiting, even with others online.
    const offline = await userWithToken(stack, "OPERATOR");
    const billing = await department("Financeiro", [{ userId: offline.user.id }]);
    const [billed] = await waitingIn(billing.id);
    const [global] = await waitingIn(null);
    expect(await assignedTo(global?.id ?? "")).toBeTruthy();
    expect((await conversationRow(stack.core, billed?.id ?? "")).status).toBe("WAITING");
    await goOnline(offline);
    expect(await assignedTo(billed?.id ?? "")).toBe(offline.user.id);
  });

  it("counts an operator once across his departments, with a department's capacity override", async () => {
    const op = await userWithToken(stack, "OPERATOR", { maxConcurrent: 3 });
    const a = await department("Suporte", [{ userId: op.user.id }]);
    const b = await department("Pós-venda", [{ userId: op.user.id, maxConcurrent: 1 }]);
    const [b1, b2] = await waitingIn(b.id, 2);
    const [a1, a2, a3] = await waitingIn(a.id, 3);
    await goOnline(op);
    // b's override lets him take one of b's only while he has none open; the rest of his room goes to a.
    expect(await assignedTo(b1?.id ?? "")).toBe(op.user.id);
    expect(await assignedTo(a1?.id ?? "")).toBe(op.user.id);
    expect(await assignedTo(a2?.id ?? "")).toBe(op.user.id);
    // One more full run under the lock: nothing else fits.
    expect((await assignWaiting(stack.core, { wait: true })).assigned).toEqual([]);
    expect((await conversationRow(stack.core, b2?.id ?? "")).status).toBe("WAITING");
    expect((await conversationRow(stack.core, a3?.id ?? "")).status).toBe("WAITING");
    const [open] = await stack.core.sql<{ n: number }[]>`
      select count(*)::int as n from conversations where operator_id = ${op.user.id} and status = 'OPEN'`;
    expect(open?.n).toBe(3);
  });

  it("transfers to a department (waiting while nobody is online), to one of its operators, with notes", async () => {
    const seller = await onlineOperator();
    const sales = await department("Comercial", [{ userId: seller.user.id }]);
    const [conv] = await waitingIn(sales.id);
    expect(await assignedTo(conv?.id ?? "")).toBe(seller.user.id);
    const supportOp = await userWithToken(stack, "OPERATOR");
    const support = await department("Suporte técnico", [{ userId: supportOp.user.id }]);
    // The operator hands it to support, where nobody is online: it waits in support's queue.
    await seller.client.conversations.transfer.mutate({
      id: conv?.id ?? "",
      departmentId: support.id,
      note: "Cliente com defeito no aparelho",
    });
    const moved = await conversationRow(stack.core, conv?.id ?? "");
    expect([moved.status, moved.departmentId, moved.operatorId]).toEqual(["WAITING", support.id, null]);
    const sup = await userWithToken(stack, "SUPERVISOR");
    const queue = await sup.client.conversations.queue.query({ departmentId: support.id });
    expect(queue.items.map((c) => c.id)).toEqual([conv?.id]);
    expect(await codeOf(seller.client.conversations.get.query({ id: conv?.id ?? "" }))).toBe("FORBIDDEN");
    await goOnline(supportOp);
    expect(await assignedTo(conv?.id ?? "")).toBe(supportOp.user.id);
    const history = await supportOp.client.conversations.transfers.query({ id: conv?.id ?? "" });
    expect(history.map((t) => [t.fromDepartmentId, t.toDepartmentId, t.note])).toEqual([
      [sales.id, support.id, "Cliente com defeito no aparelho"],
    ]);
    // A supervisor gives it straight to an operator of a department; a non-member is refused by name.
    const notMember = await onlineOperator();
    const refused = sup.client.conversations.transfer.mutate({
      id: conv?.id ?? "",
      departmentId: sales.id,
      operatorId: notMember.user.id,
    });
    expect(await codeOf(refused)).toBe("BAD_REQUEST");
    await sup.client.conversations.transfer.mutate({
      id: conv?.id ?? "",
      departmentId: sales.id,
      operatorId: seller.user.id,
      note: "volta para vendas",
    });
    const back = await conversationRow(stack.core, conv?.id ?? "");
    expect([back.status, back.departmentId, back.operatorId]).toEqual(["OPEN", sales.id, seller.user.id]);
    // An archived department is not a transfer target.
    await admin.client.departments.archive.mutate({ id: support.id });
    const archived = seller.client.conversations.transfer.mutate({ id: conv?.id ?? "", departmentId: support.id });
    expect(await codeOf(archived)).toBe("BAD_REQUEST");
  });

  it("a supervisor watching some departments sees only their queues, conversations and reports", async () => {
    const limited = await userWithToken(stack, "SUPERVISOR");
    const mine = await department("Cobrança", [{ userId: limited.user.id }]);
    const other = await department("Ouvidoria");
    const [a] = await waitingIn(mine.id);
    const [b] = await waitingIn(other.id);
    const [c] = await waitingIn(null);
    const queue = (await limited.client.conversations.queue.query({ limit: 500 })).items.map((x) => x.id);
    expect(queue).toContain(a?.id);
    expect(queue).not.toContain(b?.id);
    expect(queue).not.toContain(c?.id);
    const listed = (await limited.client.conversations.list.query({ limit: 200 })).items.map((x) => x.id);
    expect(listed).toContain(a?.id);
    expect(listed).not.toContain(b?.id);
    expect(await codeOf(limited.client.conversations.get.query({ id: b?.id ?? "" }))).toBe("FORBIDDEN");
    const close = limited.client.conversations.transfer.mutate({ id: b?.id ?? "", departmentId: mine.id });
    expect(await codeOf(close)).toBe("FORBIDDEN");
    expect((await limited.client.departments.list.query()).map((d) => d.id)).toEqual([mine.id]);
    expect(await codeOf(limited.client.departments.get.query({ id: other.id }))).toBe("FORBIDDEN");
    const day = new Date().toISOString().slice(0, 10);
    const report = limited.client.reports.summary.query({ from: day, to: day, departmentId: other.id });
    expect(await codeOf(report)).toBe("FORBIDDEN");
    // The operators board: members of his departments (with them listed), not the others'.
    const ana = await userWithToken(stack, "OPERATOR");
    const bia = await userWithToken(stack, "OPERATOR");
    const members = [{ userId: limited.user.id }, { userId: ana.user.id }];
    await admin.client.departments.setMembers.mutate({ departmentId: mine.id, members });
    await admin.client.departments.setMembers.mutate({ departmentId: other.id, members: [{ userId: bia.user.id }] });
    const board = await limited.client.presence.board.query();
    expect(board.find((o) => o.userId === ana.user.id)?.departmentIds).toEqual([mine.id]);
    expect(board.map((o) => o.userId)).not.toContain(bia.user.id);
    // An unlimited supervisor still sees everything.
    const everyone = await userWithToken(stack, "SUPERVISOR");
    const all = (await everyone.client.conversations.list.query({ limit: 200 })).items.map((x) => x.id);
    expect(all).toEqual(expect.arrayContaining([a?.id, b?.id, c?.id]));
    const fullBoard = (await everyone.client.presence.board.query()).map((o) => o.userId);
    expect(fullBoard).toEqual(expect.arrayContaining([ana.user.id, bia.user.id]));
  });
});
