import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type Database } from "../src/client";
import { cloneDatabase } from "../src/testing";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

let clone: Awaited<ReturnType<typeof cloneDatabase>>;
let db: Database;
beforeAll(async () => {
  clone = await cloneDatabase(inject("templateDatabaseUrl"));
  db = connect(clone.url, { max: 1 });
});
afterAll(async () => {
  await db?.close();
  await clone?.drop();
});

describe("contacts.id default: time_ordered_uuid()", () => {
  it("gives UUIDv7s that carry the insertion time and sort by it", async () => {
    const first = await db.sql<{ id: string }[]>`
      insert into contacts (name) select 'a' || i from generate_series(1, 500) i returning id::text`;
    await new Promise((r) => setTimeout(r, 5));
    const [later] = await db.sql<{ id: string; now_ms: string }[]>`
      insert into contacts (name) values ('b') returning id::text, (extract(epoch from now()) * 1000)::bigint::text as now_ms`;
    const ids = [...first.map((r) => r.id), later?.id ?? ""];
    expect(new Set(ids).size).toBe(501);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    // The first 48 bits are the Unix time in milliseconds.
    const ms = Number.parseInt((later?.id ?? "").replace(/-/g, "").slice(0, 12), 16);
    expect(Math.abs(ms - Number(later?.now_ms))).toBeLessThan(2_000);
    expect(ids.slice(0, 500).every((id) => id < (later?.id ?? ""))).toBe(true);
  });
});
