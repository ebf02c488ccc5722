import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/router";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack.close();
});

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (err) => (err instanceof TRPCClientError ? (err.data as { code?: string })?.code : String(err)),
  );

describe("users", () => {
  it("admin creates a user, and the email is unique case-insensitively (CONFLICT)", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const created = await admin.client.users.create.mutate({
      name: "Ana Souza",
      email: "Ana.Souza@Example.com",
      password: "senha-forte-1",
      role: "OPERATOR",
      maxConcurrent: 3,
    });
    expect(created.email).toBe("ana.souza@example.com");
    expect(created).not.toHaveProperty("passwordHash");
    const again = admin.client.users.create.mutate({
      name: "Other",
      email: "ANA.SOUZA@example.com",
      password: "senha-forte-2",
      role: "OPERATOR",
    });
    expect(await codeOf(again)).toBe("CONFLICT");
    const audit = await stack.core.sql<
      { action: string }[]
    >`select action from audit_log where target_id = ${created.id}`;
    expect(audit.map((a) => a.action)).toContain("user.create");
  });

  it("lists with search, role and active filters and cursor pagination", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    for (let i = 0; i < 5; i++) {
      await admin.client.users.create.mutate({
        name: `Paginado ${i}`,
        email: `paginado${i}@example.com`,
        password: "senha-forte-1",
        role: "SUPERVISOR",
      });
    }
    const page1 = await admin.client.users.list.query({ search: "paginado", limit: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await admin.client.users.list.query({ search: "paginado", limit: 3, cursor: page1.nextCursor ?? "" });
    expect(page2.items).toHaveLength(2);
    expect(page2.nextCursor).toBeNull();
    const ids = new Set([...page1.items, ...page2.items].map((u) => u.id));
    expect(ids.size).toBe(5);
    const sups = await admin.client.users.list.query({ search: "paginado", role: "OPERATOR" });
    expect(sups.items).toHaveLength(0);
  });

  it("a supervisor lists users but cannot create them; an operator sees only himself", async () => {
    const sup = await userWithToken(stack, "SUPERVISOR");
    const op = await userWithToken(stack, "OPERATOR");
    const all = await sup.client.users.list.query({});
    expect(all.items.length).toBeGreaterThan(1);
    const mine = await op.client.users.list.query({});
    expect(mine.items.map((u) => u.id)).toEqual([op.user.id]);
    expect(await codeOf(op.client.users.get.query({ id: sup.user.id }))).toBe("FORBIDDEN");
    expect(
      await codeOf(
        sup.client.users.create.mutate({ name: "x", email: "x@example.com", password: "12345678", role: "ADMIN" }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("the last active admin can be neither deactivated nor demoted", async () => {
    // A private database: make this admin the only one.
    const admin = await userWithToken(stack, "ADMIN");
    await stack.core.sql`update users set active = false where role = 'ADMIN' and id <> ${admin.user.id}`;
    expect(await codeOf(admin.client.users.update.mutate({ id: admin.user.id, active: false }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(admin.client.users.update.mutate({ id: admin.user.id, role: "OPERATOR" }))).toBe(
      "PRECONDITION_FAILED",
    );
    const second = await userWithToken(stack, "ADMIN");
    const demoted = await second.client.users.update.mutate({ id: admin.user.id, role: "SUPERVISOR" });
    expect(demoted.role).toBe("SUPERVISOR");
  });

  it("reset password ends the user's sessions and the new password works", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    await admin.client.users.resetPassword.mutate({ id: op.user.id, password: "nova-senha-123" });
    expect(await codeOf(op.client.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("refuses bad input with BAD_REQUEST naming the field", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    try {
      await admin.client.users.create.mutate({
        name: "x",
        email: "x@example.com",
        password: "short",
        role: "OPERATOR",
      });
      expect.unreachable();
    } catch (err) {
      expect((err as TRPCClientError<AppRouter>).data?.code).toBe("BAD_REQUEST");
      expect((err as Error).message).toMatch(/password/);
    }
  });
});
