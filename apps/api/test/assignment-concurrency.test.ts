import {
  type CoreContext,
  closeConnection,
  closeConversation,
  createCoreContext,
  createTabulation,
  DomainError,
  drainQueue,
  openConnection,
  setPresence,
  sweepPresence,
} from "@elsehu/core";
import { connect, type Database } from "@elsehu/db";
import { type Stack, silentLog, startStack, startWorker, type WorkerHandle } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrive, fakeNode, makeContact, makeInstance, makeOperator, waitFor } from "./conversation-fixtures";

let stack: Stack;
const extraDbs: Database[] = [];
let extraWorker: WorkerHandle;
beforeAll(async () => {
  stack = await startStack();
  extraWorker = await startWorker({
    databaseUrl: stack.databaseUrl,
    log: silentLog,
    config: stack.config,
    cron: false,
    pollIntervalMs: 200,
  });
});
afterAll(async () => {
  await extraWorker.stop();
  for (const d of extraDbs) await d.close();
  await stack.close();
});

/** Another "process": its own connection pool on the same database. */
function processContext(): CoreContext {
  const db = connect(stack.databaseUrl, { max: 3 });
  extraDbs.push(db);
  return createCoreContext(db, silentLog, stack.config);
}

const rand = (n: number) => Math.floor(Math.random() * n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Load = { id: string; max: number; open: number };
async function loads(core: CoreContext): Promise<Load[]> {
  return core.sql<Load[]>`
    select u.id, u.max_concurrent as max,
      (select count(*)::int from conversations c where c.operator_id = u.id and c.status = 'OPEN') as open
    from users u where u.role = 'OPERATOR'`;
}

describe("assignment under concurrency", () => {
  it("never assigns twice nor over capacity, and leaves nothing waiting for an eligible operator once settled", async () => {
    const procs = [processContext(), processContext(), processContext(), processContext()];
    const core = stack.core;
    const admin = await makeOperator(core, { name: "Admin" });
    const tab = await createTabulation(core, { id: admin.id, role: "ADMIN", name: admin.name }, { name: "Fim" });
    const inst = await makeInstance(core);
    const node = await fakeNode(core);
    const ops = await Promise.all(
      Array.from({ length: 12 }, (_, i) => makeOperator(core, { maxConcurrent: 1 + (i % 3) })),
    );
    const conns = new Map<string, string[]>();
    const connectOp = async (ctx: CoreContext, id: string) => {
      const connId = crypto.randomUUID();
      conns.set(id, [...(conns.get(id) ?? []), connId]);
      await openConnection(ctx, { id: connId, userId: id, nodeId: node.nodeId });
    };
    for (const o of ops.slice(0, 6)) await connectOp(core, o.id);

    let running = true;
    let overCapacity = 0;
    const checker = (async () => {
      while (running) {
        for (const l of await loads(core)) if (l.open > l.max) overCapacity++;
        await sleep(15);
      }
    })();
    const assigners = procs.map(async (ctx) => {
      while (running) {
        await drainQueue(ctx, { batch: 1 + rand(5) });
        await sleep(rand(10));
      }
    });
    const arrivals = (async () => {
      for (let i = 0; i < 120; i++) {
        const ctx = procs[rand(procs.length)] ?? core;
        await arrive(ctx, (await makeContact(core)).id, inst.id);
        if (i % 10 === 0) await sleep(5);
      }
    })();
    const chaos = (async () => {
      for (let i = 0; i < 150; i++) {
        const ctx = procs[rand(procs.length)] ?? core;
        const op = ops[rand(ops.length)];
        if (!op) continue;
        const actor = { id: op.id, role: "OPERATOR" as const, name: op.name };
        const action = rand(5);
        try {
          if (action === 0) await connectOp(ctx, op.id);
          else if (action === 1) {
            // All his sockets go away and the grace period is over.
            for (const c of conns.get(op.id) ?? []) await closeConnection(ctx, { id: c, userId: op.id });
            conns.set(op.id, []);
            await sweepPresence(ctx, { graceSeconds: 0 });
          } else if (action === 2) await setPresence(ctx, actor, { status: "PAUSED", reason: "pausa" });
          else if (action === 3) await setPresence(ctx, actor, { status: "ONLINE" });
          else {
            const [open] = await core.sql<{ id: string }[]>`
              select id from conversations where operator_id = ${op.id} and status = 'OPEN' order by random() limit 1`;
            if (open) await closeConversation(ctx, actor, { id: open.id, tabulationId: tab.id });
          }
        } catch (err) {
          // A verb's refusal (not connected, already closed by a concurrent run) is part of the game. Anything
          // else, a database error (deadlock, serialization, constraint) above all, fails the test.
          if (!(err instanceof DomainError && (err.code === "PRECONDITION_FAILED" || err.code === "CONFLICT")))
            throw err;
        }
        await sleep(rand(8));
      }
    })();
    await Promise.all([arrivals, chaos]);
    running = false;
    await Promise.all([...assigners, checker]);

    // Settle: bring a few operators online and let the workers' jobs finish.
    for (const o of ops.slice(0, 4)) await connectOp(core, o.id);
    await sleep(300);
    await drainQueue(core);
    await sleep(300);

    expect(overCapacity).toBe(0);
    const twice = await core.sql<{ id: string; n: number }[]>`
      select payload->>'conversationId' as id, count(*)::int as n from events
      where kind = 'conversation.assigned' group by 1 having count(*) > 1`;
    expect(twice).toEqual([]);
    const settled = async () => {
      const [waiting] = await core.sql<
        { n: number }[]
      >`select count(*)::int as n from conversations where status = 'WAITING'`;
      const online = await core.sql<
        { id: string }[]
      >`select id from users where role = 'OPERATOR' and presence = 'ONLINE'`;
      const eligible = (await loads(core)).filter((l) => l.open < l.max && online.some((o) => o.id === l.id));
      return waiting?.n === 0 || eligible.length === 0;
    };
    expect(await waitFor(settled)).toBe(true);
    // Something did happen: assignments were made and some conversations were closed.
    const [stats] = await core.sql<{ assigned: number; closed: number }[]>`
      select count(*) filter (where first_assigned_at is not null)::int as assigned,
             count(*) filter (where status = 'CLOSED')::int as closed from conversations`;
    expect(stats?.assigned).toBeGreaterThan(20);
    expect(stats?.closed).toBeGreaterThan(0);
  }, 120_000);
});
