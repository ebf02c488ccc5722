import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, apiToken } from "./public-api-helpers";

/*
 * Issue 15, item 6: every connection of the API has a statement_timeout (DB_STATEMENT_TIMEOUT), so a query
 * stuck behind a lock or running away is cancelled and the client told so, instead of holding a connection
 * (and the client) forever. Reports and exports set their own, longer one (REPORT_STATEMENT_TIMEOUT).
 * A table lock held by another session stands in for a slow statement: the waiting query runs as long as
 * the lock is held.
 */
const STATEMENT_MS = 400;
const IDLE_MS = 1_500;
const ROWS = 500;
let stack: Stack;
let admin: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  stack = await startStack({
    worker: false,
    api: { dbTimeouts: { statementTimeoutMs: STATEMENT_MS, idleInTransactionTimeoutMs: IDLE_MS } },
    config: { reportStatementTimeoutMs: 60_000 },
  });
  admin = await userWithToken(stack, "ADMIN");
  const sql = stack.core.sql;
  const [inst] = await sql`insert into service_instances (name, provider, secrets) values ('Loja', 'META', 'x')
    returning id`;
  const [tab] = await sql`insert into tabulations (name) values ('Venda') returning id`;
  const [ct] = await sql`insert into contacts (phone, phone_key, name, search_text)
    values ('+5511900000001', '+5511900000001', 'Cliente', 'cliente 5511900000001') returning id`;
  await sql`insert into conversations (contact_id, instance_id, tabulation_id, status, created_at, queued_at, closed_at)
    select ${String(ct?.id)}, ${String(inst?.id)}, ${String(tab?.id)}, 'CLOSED', t, t, t + interval '5 minutes'
    from (select '2025-03-10T12:00:00Z'::timestamptz + g * interval '1 second' as t
          from generate_series(1, ${ROWS}) g) x`;
});

afterAll(async () => {
  await stack?.close();
});

/** Holds an ACCESS EXCLUSIVE lock on `table` from another session until `release` is called. */
async function lockTable(table: string): Promise<{ release: () => Promise<void> }> {
  const conn = await stack.core.sql.reserve();
  await conn.unsafe(`begin; lock table ${table} in access exclusive mode`);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await conn.unsafe("commit");
      conn.release();
    },
  };
}

/** The call's outcome, or "still waiting" if it is not settled after `guardMs` (the lock is then let go). */
async function settleWithin<T>(call: Promise<T>, guardMs = 15_000): Promise<T | unknown | "still waiting"> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<"still waiting">((r) => {
    timer = setTimeout(() => r("still waiting"), guardMs);
  });
  try {
    return await Promise.race([call.catch((e: unknown) => e), guard]);
  } finally {
    clearTimeout(timer);
  }
}

describe("database statement timeouts", () => {
  it("cancels a query that runs past DB_STATEMENT_TIMEOUT and tells the client why, on tRPC and plain routes", async () => {
    const lock = await lockTable("tabulations");
    const campaignsLock = await lockTable("campaigns");
    try {
      const err = await settleWithin(admin.client.tabulations.list.query());
      expect(err).toBeInstanceOf(TRPCClientError);
      const data = (err as { data: { code: string; reason: string } }).data;
      expect([data.code, data.reason]).toEqual(["SERVICE_UNAVAILABLE", "QUERY_TIMEOUT"]);
      expect(JSON.stringify(err)).not.toMatch(/statement timeout|canceling/i);

      const res = await settleWithin(
        fetch(`${stack.url}/campaigns/00000000-0000-4000-8000-000000000000/results.csv`, {
          headers: { authorization: `Bearer ${admin.token}` },
        }),
      );
      expect(res).toBeInstanceOf(Response);
      expect((res as Response).status).toBe(503);
      expect(await (res as Response).json()).toMatchObject({ reason: "QUERY_TIMEOUT" });
    } finally {
      await lock.release();
      await campaignsLock.release();
    }
    // The connection went back to the pool usable.
    expect((await admin.client.tabulations.list.query()).map((t) => t.name)).toContain("Venda");
  });

  it("answers the public API's cancelled query with 503 QUERY_TIMEOUT too, never a 500", async () => {
    const { token } = await apiToken(admin, ["contacts:read"]);
    const lock = await lockTable("contacts");
    try {
      const res = (await settleWithin(api(stack, token, "GET", "/contacts"))) as Awaited<ReturnType<typeof api>>;
      expect([res.status, res.body.reason]).toEqual([503, "QUERY_TIMEOUT"]);
    } finally {
      await lock.release();
    }
  });

  it("lets a report and an export run past it, under REPORT_STATEMENT_TIMEOUT", async () => {
    const lock = await lockTable("tabulations");
    const period = { from: "2025-03-10", to: "2025-03-10" };
    const report = admin.client.reports.byTabulation.query(period);
    const download = fetch(`${stack.url}/reports/finished.csv?from=2025-03-10&to=2025-03-10`, {
      headers: { authorization: `Bearer ${admin.token}` },
    }).then(async (res) => ({ status: res.status, text: await res.text() }));
    // Both wait on the lock for well over the connections' own limit.
    await new Promise((r) => setTimeout(r, STATEMENT_MS * 4));
    await lock.release();

    const exported = await settleWithin(download);
    expect(exported).toMatchObject({ status: 200 });
    const lines = (exported as { text: string }).text.trimEnd().split("\r\n");
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[ROWS]).toContain(",CLOSED,Cliente,+5511900000001,,Venda,Loja,");
    const rows = await settleWithin(report);
    expect(JSON.stringify(rows)).toContain("Venda");
    expect(JSON.stringify(rows)).toContain(String(ROWS));
  });

  it("ends a transaction an API connection leaves idle past DB_IDLE_IN_TRANSACTION_TIMEOUT, freeing its locks", async () => {
    // A code path that forgets itself inside a transaction, holding a lock every user needs.
    const forgotten = stack.api.deps.core.sql.begin(async (tx) => {
      await tx`lock table tabulations in access exclusive mode`;
      await new Promise((r) => setTimeout(r, IDLE_MS * 4));
      await tx`select 1`;
    });
    const outcome = forgotten.then(
      () => "committed",
      (e: unknown) => String(e),
    );
    await new Promise((r) => setTimeout(r, IDLE_MS * 2));
    // The server ended it: the lock is gone, so users' reads answer again (within DB_STATEMENT_TIMEOUT).
    const list = await settleWithin(admin.client.tabulations.list.query());
    expect(JSON.stringify(list)).toContain("Venda");
    expect(await outcome).toMatch(/idle-in-transaction|terminat|closed/i);
  });
});
