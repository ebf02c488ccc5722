import {
  type CoreContext,
  closeConnection,
  closeConversation,
  createCoreContext,
  createDepartment,
  createTabulation,
  drainQueue,
  openConnection,
  setDepartmentMembers,
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
  const db = connect(stack.databaseUrl, { max: 2 });
  extraDbs.push(db);
  return createCoreContext(db, silentLog, stack.config);
}

const rand = (n: number) => Math.floor(Math.random() * n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Load = { id: string; max: number; open: number };
/** An operator's capacity is his own or, for one department's conversations, its override: never above the larger. */
async function loads(core: CoreContext): Promise<Load[]> {
  return core.sql<Load[]>`
    select u.id, greatest(u.max_concurrent, (select max(m.max_concurrent) from department_members m where m.user_id = u.id)) as max,
      (select count(*)::int from conversations c where c.operator_id = u.id and c.status = 'OPEN') as open
    from users u where u.role = 'OPERATOR'`;
}

describe("assignment per department under concurrency", () => {
  it("serves each queue with its own members only, counts an operator once across departments, never twice nor over capacity", async () => {
    const procs = [processContext(), processContext(), processContext()];
    const core = stack.core;
    const admin = await makeOperator(core, { name: "Admin" });
    const adminActor = { id: admin.id, role: "ADMIN" as const, name: admin.name };
    const tab = await createTabulation(core, adminActor, { name: "Fim" });
    const inst = await makeInstance(core);
    const node = await fakeNode(core);
    const ops = await Promise.all(
      Array.from({ length: 12 }, (_, i) => makeOperator(core, { maxConcurrent: 1 + (i % 3) })),
    );
    // Three departments; each operator in one to three of them, some with a lower capacity in one.
    const deps: Array<{ id: string }> = [];
    for (const name of ["Vendas", "Suporte", "Financeiro"])
      deps.push(await createDepartment(core, adminActor, { name }));
    const membership = new Map<string, Array<{ userId: string; maxConcurrent: number | null }>>();
    ops.forEach((o, i) => {
      for (let k = 0; k <= i % 3; k++) {
        const d = deps[(i + k) % deps.length];
        if (!d) continue;
        const list = membership.get(d.id) ?? [];
        list.push({ userId: o.id, maxConcurrent: k === 1 ? 1 : null });
        membership.set(d.id, list);
      }
    });
    for (const [departmentId, members] of membership) {
      await setDepartmentMembers(core, adminActor, { departmentId, members });
    }
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
        // A quarter have no department (the global rule); the rest go to one of the three.
        const d = rand(4) === 0 ? null : (deps[rand(deps.length)]?.id ?? null);
        await arrive(ctx, (await makeContact(core)).id, inst.id, core.now(), d);
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
          // Refusals (not connected, already closed by a concurrent run) are part of the game.
          if (!(err instanceof Error && "code" in err)) throw err;
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
    // Every department conversation went to one of its members; the department's override held at assignment.
    const strangers = await core.sql`
      select c.id from conversations c
      where c.department_id is not null and c.operator_id is not null and not exists (
        select 1 from department_members m where m.department_id = c.department_id and m.user_id = c.operator_id)`;
    expect(strangers).toEqual([]);
    const settled = async () => {
      // Nothing waits in a queue one of whose online members has room for it.
      const stuck = await core.sql`
        select c.id from conversations c
        join users u on u.role = 'OPERATOR' and u.presence = 'ONLINE' and u.active
        left join department_members m on m.department_id = c.department_id and m.user_id = u.id
        where c.status = 'WAITING' and (c.department_id is null or m.user_id is not null)
          and (select count(*) from conversations o where o.operator_id = u.id and o.status = 'OPEN')
            < coalesce(m.max_concurrent, u.max_concurrent)
        limit 1`;
      return stuck.length === 0;
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
