import postgres from "postgres";
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
let admin: Database;

beforeAll(async () => {
  clone = await cloneDatabase(inject("templateDatabaseUrl"));
  // One connection, so the next query surely runs on the connection whose backend died.
  db = connect(clone.url, { max: 1, applicationName: "elsehu-reconnect-test" });
  admin = connect(clone.url, { max: 1 });
});
afterAll(async () => {
  await db?.close();
  await admin?.close();
  await clone?.drop();
});

describe("postgres.js reconnect (patched)", () => {
  it("a backend terminated mid-query fails that query with its own error, and the next query runs on a new backend", async () => {
    const [before] = await db.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const running = db.sql`select pg_sleep(30)`.catch((err: unknown) => err);
    for (;;) {
      const active = await admin.sql`
        select 1 from pg_stat_activity where pid = ${before?.pid ?? 0} and state = 'active' and query like '%pg_sleep%'`;
      if (active.length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // What a Postgres restart does to every backend: 57P01, then the socket closes.
    await admin.sql`select pg_terminate_backend(${before?.pid ?? 0})`;
    const lost = (await running) as { code?: string };
    expect(lost.code).toBe("57P01");
    // Unpatched, this query failed with the old backend's 57P01 even though Postgres was fine.
    const [after] = await db.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    expect(after?.pid).toBeGreaterThan(0);
    expect(after?.pid).not.toBe(before?.pid);
  });

  it("a connection whose array-type lookup fails fails only the query waiting on it, never as an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const record = (err: unknown) => unhandled.push(err);
    process.on("unhandledRejection", record);
    // A 1 ms statement_timeout cancels the lookup postgres.js runs first on every new connection
    // (as a restart can cut it); unpatched, its rejection escaped and our crash guard ended the process.
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) {
      const sql = postgres(clone.url, { max: 1, onnotice: () => {}, connection: { statement_timeout: 1 } });
      codes.push(
        await sql`select 1`.then(
          () => "ok",
          (err: { code?: string }) => err.code,
        ),
      );
      await sql.end();
    }
    await new Promise((r) => setTimeout(r, 50));
    process.off("unhandledRejection", record);
    expect(codes).toContain("57014");
    expect(unhandled).toEqual([]);
  });
});
