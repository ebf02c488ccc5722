import { conversations, messages, serviceInstances } from "@elsehu/db";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  await stack.close();
});

async function failure(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCClientError) return { code: (err.data as { code?: string })?.code, message: err.message };
    throw err;
  }
  throw new Error("expected a failure");
}

async function conversationFor(contactId: string, operatorId: string | null) {
  const [inst] = await stack.core.db
    .insert(serviceInstances)
    .values({ name: `inst-${Math.random()}`, provider: "META", secrets: "x" })
    .returning();
  if (!inst) throw new Error("no instance");
  const [conv] = await stack.core.db
    .insert(conversations)
    .values({ contactId, instanceId: inst.id, status: operatorId ? "OPEN" : "WAITING", operatorId })
    .returning();
  if (!conv) throw new Error("no conversation");
  return conv;
}

describe("contacts", () => {
  it("creates a contact with its phone in E.164 and finds it by 'joao', by email and by phone digits", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const c = await admin.client.contacts.create.mutate({
      phone: "(11) 98765-4321",
      name: "João da Silva",
      email: "Joao.Silva@Example.com",
      tags: ["vip", "VIP", "sp"],
      customFields: { cidade: "São Paulo" },
    });
    expect(c.phone).toBe("+5511987654321");
    expect(c.email).toBe("joao.silva@example.com");
    expect(c.tags).toEqual(["vip", "sp"]);
    for (const search of ["joao", "JOÃO DA", "silva@exam", "98765-4321", "1198765"]) {
      const page = await admin.client.contacts.list.query({ search });
      expect(
        page.items.map((i) => i.id),
        search,
      ).toContain(c.id);
    }
    expect((await admin.client.contacts.list.query({ search: "maria" })).items.map((i) => i.id)).not.toContain(c.id);
  });

  it("treats a mobile without the ninth digit as the same contact and names an invalid phone", async () => {
    const sup = await userWithToken(stack, "SUPERVISOR");
    await sup.client.contacts.create.mutate({ phone: "+55 21 99876-5432", name: "Maria" });
    const dup = await failure(sup.client.contacts.create.mutate({ phone: "(21) 9876-5432" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.message).toContain("+5521998765432");
    const bad = await failure(sup.client.contacts.create.mutate({ phone: "12ab34" }));
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.message).toContain('"12ab34"');
  });

  it("updates fields, filters by tag and opt-out, and pages with a cursor", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const created = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        await admin.client.contacts.create.mutate({
          phone: `+55 31 9${7000_0000 + i}`,
          name: `Pagina ${i}`,
          tags: ["pg"],
        }),
      );
    }
    const first = created[0];
    if (!first) throw new Error("none");
    const updated = await admin.client.contacts.update.mutate({ id: first.id, name: "Renomeado", optedOut: true });
    expect(updated.name).toBe("Renomeado");
    expect(updated.optedOutAt).not.toBeNull();
    expect((await admin.client.contacts.list.query({ search: "renomeado" })).items).toHaveLength(1);
    const opted = await admin.client.contacts.list.query({ tag: "pg", optedOut: true });
    expect(opted.items.map((i) => i.id)).toEqual([first.id]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.client.contacts.list.query({ tag: "pg", limit: 2, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(created.map((c) => c.id).sort());
  });

  it("pages a search by cursor through every match once, newest first, for common and rare terms", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    // 300 contacts: every third is a "Comum", five are "Raro"; a page of 5 sees common terms in the
    // newest rows and has to look further for the rest.
    await stack.core.sql`
      insert into contacts (phone, phone_key, name, search_text, tags)
      select '+5562' || k, '5562' || k, n, lower(n) || E'\t\t5562' || k, case when g % 2 = 0 then '{par}'::text[] else '{}' end
      from generate_series(1, 300) g,
        lateral (select (990000000 + g)::text as k,
                        case when g % 60 = 7 then 'Raro Nome ' || g when g % 3 = 0 then 'Comum Nome ' || g
                             else 'Outro Nome ' || g end as n) x`;
    const all = async (search: string, tag?: string) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.client.contacts.list.query({ search, tag, limit: 5, cursor });
        seen.push(...page.items.map((i) => `${i.id} ${i.name}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    const expected = async (pattern: string, tag?: string) =>
      (
        await stack.core.sql<{ row: string }[]>`
          select id || ' ' || name as row from contacts
          where erased_at is null and search_text like ${pattern} and (${tag ?? null}::text is null or tags @> array[${tag ?? ""}])
          order by id desc`
      ).map((r) => r.row);
    const common = await all("comum");
    expect(common).toHaveLength(100);
    expect(common).toEqual(await expected("%comum%"));
    expect(await all("RARO")).toEqual(await expected("%raro%"));
    expect(await all("raro")).toHaveLength(5);
    expect(await all("comum", "par")).toEqual(await expected("%comum%", "par"));
    expect(await all("62 99000")).toEqual(await expected("%6299000%"));
  });

  it("lets an operator read only the contact of his own conversation, and never list contacts", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const op = await userWithToken(stack, "OPERATOR");
    const other = await userWithToken(stack, "OPERATOR");
    const mine = await admin.client.contacts.create.mutate({ phone: "+55 41 99911-2233", name: "Do Operador" });
    const notMine = await admin.client.contacts.create.mutate({ phone: "+55 41 99911-2244", name: "De Outro" });
    await conversationFor(mine.id, op.user.id);
    await conversationFor(notMine.id, other.user.id);
    const got = await op.client.contacts.get.query({ id: mine.id });
    expect(got.name).toBe("Do Operador");
    expect(got.conversations.total).toBe(1);
    expect((await failure(op.client.contacts.get.query({ id: notMine.id }))).code).toBe("FORBIDDEN");
    expect((await failure(op.client.contacts.list.query({}))).code).toBe("FORBIDDEN");
    expect((await failure(op.client.contacts.create.mutate({ phone: "+5541999112255" }))).code).toBe("FORBIDDEN");
    const staffView = await admin.client.contacts.get.query({ id: notMine.id });
    expect(staffView.conversations.byStatus.OPEN).toBe(1);
  });

  it("erases a contact (LGPD) for an admin only, keeping its conversations for reports", async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const sup = await userWithToken(stack, "SUPERVISOR");
    const c = await admin.client.contacts.create.mutate({
      phone: "+55 51 99888-7766",
      name: "Apagar Pessoa",
      email: "apagar@example.com",
      tags: ["x"],
      customFields: { cpf: "123" },
    });
    const conv = await conversationFor(c.id, null);
    await stack.core.db.insert(messages).values({
      conversationId: conv.id,
      instanceId: conv.instanceId,
      direction: "IN",
      type: "text",
      body: "meu cpf é 123",
    });
    expect((await failure(sup.client.contacts.delete.mutate({ id: c.id }))).code).toBe("FORBIDDEN");
    await admin.client.contacts.delete.mutate({ id: c.id });

    const sql = stack.core.sql;
    const [row] = await sql`select * from contacts where id = ${c.id}`;
    expect(row).toMatchObject({ name: null, phone: null, phone_key: null, email: null, tags: [], custom_fields: {} });
    expect(row?.erased_at).not.toBeNull();
    expect(row?.search_text).toBe("");
    const msgs = await sql`select body from messages where conversation_id = ${conv.id}`;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]?.body).toBeNull();
    expect(await sql`select id from conversations where contact_id = ${c.id}`).toHaveLength(1);
    expect((await admin.client.contacts.list.query({ search: "apagar" })).items).toHaveLength(0);
    // The number is free again: the person may be added anew.
    const again = await admin.client.contacts.create.mutate({ phone: "+55 51 99888-7766" });
    expect(again.id).not.toBe(c.id);
  });
});
