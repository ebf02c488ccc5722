import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connect, type Database } from "../src/client";
import { cloneDatabase } from "../src/testing";

let clone: Awaited<ReturnType<typeof cloneDatabase>>;
let db: Database;
let conversationId: string;
beforeAll(async () => {
  clone = await cloneDatabase(inject("templateDatabaseUrl"));
  db = connect(clone.url, { max: 1 });
  const [row] = await db.sql<{ id: string }[]>`
    with c as (insert into contacts (name) values ('Cliente') returning id),
      i as (insert into service_instances (name, provider, config, secrets)
        values ('Número', 'META', '{}', '{}') returning id)
    insert into conversations (contact_id, instance_id, created_at, queued_at)
    select c.id, i.id, '2025-03-10 12:00:00+00', '2025-03-10 12:00:00+00' from c, i returning id`;
  conversationId = row?.id ?? "";
});
afterAll(async () => {
  await db?.close();
  await clone?.drop();
});

type Times = {
  wait_s: number | null;
  handle_s: number | null;
  first_response_s: number | null;
  duration_s: number | null;
};
const times = async () => {
  const [t] = await db.sql<Times[]>`
    select wait_s, handle_s, first_response_s, duration_s from conversations where id = ${conversationId}`;
  return t;
};

describe("conversations' report times (trigger conversations_report_times)", () => {
  it("follows the conversation from the queue to its close, as docs/metrics.md defines them", async () => {
    expect(await times()).toEqual({ wait_s: null, handle_s: null, first_response_s: null, duration_s: null });
    await db.sql`update conversations set status = 'OPEN', first_assigned_at = '2025-03-10 12:02:00.4+00'
      where id = ${conversationId}`;
    expect(await times()).toMatchObject({ wait_s: 120, handle_s: null });
    // A reply before the assignment would count as 0; this one is 61.6 s after it.
    await db.sql`update conversations set first_response_at = '2025-03-10 12:03:02+00' where id = ${conversationId}`;
    expect(await times()).toMatchObject({ first_response_s: 62 });
    // An inbound message's stamp leaves the times as they are.
    await db.sql`update conversations set last_message_at = now(), last_inbound_at = now(), unread_count = 3
      where id = ${conversationId}`;
    expect(await times()).toEqual({ wait_s: 120, handle_s: null, first_response_s: 62, duration_s: null });
    await db.sql`update conversations set status = 'CLOSED', closed_at = '2025-03-10 12:30:00+00' where id = ${conversationId}`;
    expect(await times()).toEqual({ wait_s: 120, handle_s: 1680, first_response_s: 62, duration_s: 1800 });
  });

  it("cannot be written directly: a written time is recomputed from its inputs", async () => {
    await db.sql`update conversations set wait_s = 1, duration_s = 99999 where id = ${conversationId}`;
    expect(await times()).toEqual({ wait_s: 120, handle_s: 1680, first_response_s: 62, duration_s: 1800 });
  });

  it("uses the first entry in the queue when the conversation went back to it after its first assignment", async () => {
    await db.sql`update conversations set queued_at = '2025-03-10 12:10:00+00' where id = ${conversationId}`;
    expect(await times()).toMatchObject({ wait_s: 120 });
  });
});
