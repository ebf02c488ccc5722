import { listJobs } from "@elsehu/core";
import { type Stack, silentLog, startStack, startWorker, type WorkerHandle } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  arrive,
  conversationRow,
  fakeNode,
  makeContact,
  makeInstance,
  makeOperator,
  waitFor,
} from "./conversation-fixtures";

/** The transaction-scoped lock every verb that adds to an operator's load takes (core request-assignment). */
const ASSIGNMENT_LOCK = 72_700_401;

let stack: Stack;
let worker: WorkerHandle;
beforeAll(async () => {
  stack = await startStack({ worker: false });
  // A worker that polls once a minute: only jobs due now wake it (LISTEN), as in production between polls.
  worker = await startWorker({
    databaseUrl: stack.databaseUrl,
    log: silentLog,
    config: stack.config,
    cron: false,
    pollIntervalMs: 60_000,
  });
});
afterAll(async () => {
  await worker.stop();
  await stack.close();
});

describe("assignment racing other transactions", () => {
  it("assigns an arrival as soon as the holder commits, without waiting for the worker's next poll", async () => {
    const core = stack.core;
    const op = await makeOperator(core);
    await (await fakeNode(core)).connect(op.id);
    const inst = await makeInstance(core);
    const contact = await makeContact(core);

    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const held = new Promise<void>((r) => {
      holding = r;
    });
    // Another assignment run (or a transfer) in the middle of its transaction.
    const holder = core.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK})`;
      holding();
      await released;
    });
    await held;

    const { conversation } = await arrive(core, contact.id, inst.id);
    // The arrival's job ran, found the lock taken and left the retry behind it.
    await waitFor(async () => (await listJobs(core, { key: "conversations/assign_waiting:retry" })).length > 0);
    expect((await conversationRow(core, conversation.id)).status).toBe("WAITING");

    release();
    await holder;
    const row = await waitFor(async () => {
      const r = await conversationRow(core, conversation.id);
      return r.status === "OPEN" && r;
    }, 10_000);
    expect(row.operatorId).toBe(op.id);
  });
  it("respects a pause committed while the run was choosing: the conversation goes to the other operator", async () => {
    const core = stack.core;
    await core.sql`update users set presence = 'OFFLINE' where role = 'OPERATOR'`;
    const node = await fakeNode(core);
    const ops = [await makeOperator(core), await makeOperator(core)].sort((a, b) => (a.id < b.id ? -1 : 1));
    const [first, second] = ops as [(typeof ops)[0], (typeof ops)[0]];
    for (const o of ops) await node.connect(o.id);
    const inst = await makeInstance(core);
    const contact = await makeContact(core);

    let commit!: () => void;
    const committed = new Promise<void>((r) => {
      commit = r;
    });
    let pausing!: () => void;
    const paused = new Promise<void>((r) => {
      pausing = r;
    });
    // The operator the rules pick first (tie on load and idleness: lowest id) pauses; his
    // transaction holds his row until the run has read him as online and chosen him.
    const pause = core.sql.begin(async (tx) => {
      await tx`update users set presence = 'PAUSED' where id = ${first.id}`;
      pausing();
      await committed;
    });
    await paused;
    const { conversation } = await arrive(core, contact.id, inst.id);
    // The run chose him and waits for his row.
    await waitFor(async () => {
      const [w] = await core.sql`select 1 from pg_stat_activity
        where wait_event_type = 'Lock' and query ilike '%for update%' and datname = current_database()`;
      return Boolean(w);
    });
    commit();
    await pause;
    const row = await waitFor(async () => {
      const r = await conversationRow(core, conversation.id);
      return r.status === "OPEN" && r;
    });
    expect(row.operatorId).toBe(second.id);
  });
});
