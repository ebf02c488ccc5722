import { connect } from "@elsehu/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoreContext } from "../src/shared/context";
import { storeWebhooks } from "../src/webhooks/store-webhook";
import { workWebhookBatch } from "../src/webhooks/webhook-inbox";
import { type CoreFixture, metaInboundText, startCoreFixture } from "./core-fixture";

let fx: CoreFixture;
let core: CoreContext;
/** The claiming transactions' own connections, as the worker gives them. */
let claims: ReturnType<typeof connect>;

beforeAll(async () => {
  fx = await startCoreFixture("inbox");
  core = fx.core;
  claims = connect(fx.url, { max: 4 });
});

afterAll(async () => {
  await claims?.close();
  await fx?.close();
});

const fromMeta = (body: string) => ({ instanceId: fx.meta.id, provider: "META" as const, body });
const inbound = metaInboundText;

const stateOf = async (id: number) => {
  const [row] = await core.sql<{ processed: boolean; attempts: number; error: string | null; due: boolean }[]>`
    select processed_at is not null as processed, attempts, error,
      coalesce(locked_until, '-infinity') <= now() as due
    from webhook_events where id = ${id}`;
  return row;
};

const messageCount = async (prefix: string) => {
  const [r] = await core.sql<{ n: number; distinct: number }[]>`
    select count(*)::int as n, count(distinct provider_message_id)::int as distinct
    from messages where provider_message_id like ${`${prefix}%`}`;
  return r;
};

describe("the webhook inbox: every stored webhook is a job", () => {
  it("applies what was acknowledged, marks it processed, and leaves nothing for the next batch", async () => {
    const ids = await storeWebhooks(
      core.sql,
      [1, 2, 3].map((n) => fromMeta(inbound(`551197100000${n}`, `wamid.INBOX-A${n}`))),
    );
    const first = await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 });
    expect(first).toMatchObject({ claimed: 3, failures: [] });
    expect(first.lastId).toBe(Math.max(...ids));
    expect(await messageCount("wamid.INBOX-A")).toEqual({ n: 3, distinct: 3 });
    for (const id of ids) expect(await stateOf(id)).toMatchObject({ processed: true, error: null });
    expect(await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).toEqual({
      claimed: 0,
      lastId: 0,
      failures: [],
    });
  });

  it("never gives one webhook to two concurrent batches", async () => {
    await storeWebhooks(
      core.sql,
      Array.from({ length: 60 }, (_, n) =>
        fromMeta(inbound(`55119720000${String(n % 15).padStart(2, "0")}`, `wamid.INBOX-B${n}`)),
      ),
    );
    let claimed = 0;
    for (;;) {
      const round = await Promise.all(
        Array.from({ length: 4 }, () => workWebhookBatch(core, claims.sql, { batch: 7, maxAttempts: 3 })),
      );
      const n = round.reduce((sum, r) => sum + r.claimed, 0);
      expect(round.flatMap((r) => r.failures)).toEqual([]);
      if (n === 0) break;
      claimed += n;
    }
    expect(claimed).toBe(60);
    expect(await messageCount("wamid.INBOX-B")).toEqual({ n: 60, distinct: 60 });
  });

  it("skips a webhook another worker holds, and takes it once that worker's connection is gone", async () => {
    const [id] = await storeWebhooks(core.sql, [fromMeta(inbound("5511973000001", "wamid.INBOX-C1"))]);
    const holder = connect(fx.url, { max: 1 });
    const [pid] = await holder.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    let release = () => {};
    const held = holder.sql
      .begin(async (tx) => {
        await tx`select id from webhook_events where id = ${id ?? 0} for update`;
        await new Promise<void>((r) => {
          release = r;
        });
        await tx`select 1`;
      })
      .then(
        () => null,
        (err: unknown) => err,
      );
    await new Promise((r) => setTimeout(r, 100));
    expect(await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).toEqual({
      claimed: 0,
      lastId: 0,
      failures: [],
    });
    // The holder dies mid-batch: its claim goes with its connection.
    await core.sql`select pg_terminate_backend(${pid?.pid ?? 0})`;
    release();
    // Its transaction ended with the connection: the only error expected is the termination (57P01).
    expect(await held).toMatchObject({ code: expect.stringMatching(/^57P01$|^CONNECTION_/) });
    await holder.close();
    expect(await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).toMatchObject({ claimed: 1 });
    expect(await messageCount("wamid.INBOX-C")).toEqual({ n: 1, distinct: 1 });
  });

  it("retries a failing webhook after a delay, then gives it up on its last attempt with its error kept", async () => {
    const [id = 0] = await storeWebhooks(core.sql, [fromMeta("{not json")]);
    const first = await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 });
    expect(first.claimed).toBe(1);
    expect(first.failures.map((f) => f.webhookEventId)).toEqual([id]);
    expect(await stateOf(id)).toMatchObject({ processed: false, attempts: 1, due: false });
    expect((await stateOf(id))?.error).toMatch(/JSON/);
    // Not due yet: the next batch leaves it alone.
    expect((await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).claimed).toBe(0);
    for (const attempts of [2, 3]) {
      await core.sql`update webhook_events set locked_until = now() - interval '1 second' where id = ${id}`;
      expect((await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).claimed).toBe(1);
      expect(await stateOf(id)).toMatchObject({ attempts });
    }
    // Given up: processed, its error on record, never claimed again.
    expect(await stateOf(id)).toMatchObject({ processed: true, attempts: 3, due: true });
    expect((await stateOf(id))?.error).toMatch(/JSON/);
    expect((await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).claimed).toBe(0);
  });

  it("counts a claim whose worker died applying it as an attempt, and gives the webhook up after its attempts", async () => {
    const [id = 0] = await storeWebhooks(core.sql, [fromMeta(inbound("5511974000001", "wamid.INBOX-D1"))]);
    for (let crash = 1; crash <= 3; crash++) {
      // The worker is mid-batch (its claim counted, waiting on the database) when it dies.
      const blocker = connect(fx.url, { max: 1 });
      let release = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      let locked = () => {};
      const lockHeld = new Promise<void>((r) => {
        locked = r;
      });
      const holding = blocker.sql.begin(async (tx) => {
        await tx`lock table webhook_claims in exclusive mode`;
        locked();
        await released;
      });
      // Held before the batch starts: a slow connection must not let the batch through unblocked.
      await lockHeld;
      const dying = connect(fx.url, { max: 1 });
      const [pid] = await dying.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      let settled: unknown;
      const batch = workWebhookBatch(core, dying.sql, { batch: 50, maxAttempts: 3 }).then(
        (done) => {
          settled = done;
          return done;
        },
        (err: unknown) => err,
      );
      for (;;) {
        // A batch that returns before it waits on the lock has not claimed the webhook: say so, don't hang.
        expect(settled, `crash ${crash}: the batch ended before it blocked`).toBeUndefined();
        const [waiting] = await core.sql`select 1 from pg_locks
          where not granted and relation = 'webhook_claims'::regclass`;
        if (waiting) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await core.sql`select pg_terminate_backend(${pid?.pid ?? 0})`;
      // The signal is asynchronous: until the backend is gone its row lock stands, and the
      // next crash's batch would skip the webhook (SKIP LOCKED) instead of claiming it.
      for (;;) {
        const [alive] = await core.sql`select 1 from pg_stat_activity where pid = ${pid?.pid ?? 0}`;
        if (!alive) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      release();
      await holding;
      expect(await batch).toBeInstanceOf(Error);
      await blocker.close();
      await dying.close();
      // Its claim went with the worker: not processed, free for the next worker at once.
      expect(await stateOf(id)).toMatchObject({ processed: false, due: true });
    }
    // Three claims never settled: three failed attempts. The next worker gives it up instead of dying too.
    expect((await workWebhookBatch(core, claims.sql, { batch: 50, maxAttempts: 3 })).claimed).toBe(1);
    expect(await stateOf(id)).toMatchObject({ processed: true, attempts: 3 });
    expect((await stateOf(id))?.error).toMatch(/worker stopped/);
    const [left] = await core.sql`select count(*)::int as n from webhook_claims where webhook_event_id = ${id}`;
    expect(left?.n).toBe(0);
  });
});
