import { addJob, JOBS, listJobs, plantJobLock, removeJobs, sessionIdOf } from "@elsehu/core";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: true });
});
afterAll(async () => {
  await stack.close();
});

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("worker", () => {
  it("purges expired sessions when the purge job runs", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    await stack.core
      .sql`update sessions set expires_at = now() - interval '1 minute' where id = ${sessionIdOf(u.token)}`;
    await stack.db.db.transaction((tx) => addJob(tx, "auth/purge_expired", {}));
    await until(async () => {
      const rows = await stack.core.sql`select 1 from sessions where id = ${sessionIdOf(u.token)}`;
      return rows.length === 0;
    });
  });

  it("unlocks and runs a job held by a worker that stopped beating", async () => {
    const u = await userWithToken(stack, "OPERATOR");
    await stack.core
      .sql`update sessions set expires_at = now() - interval '1 minute' where id = ${sessionIdOf(u.token)}`;
    // A job taken by a worker that died two minutes ago: graphile-worker alone would wait ~4 hours.
    await stack.db.db.transaction((tx) => addJob(tx, "auth/purge_expired", {}));
    await plantJobLock(stack.core, { task: "auth/purge_expired" }, { lockedBy: "dead-worker-1", secondsAgo: 120 });
    const { startHeartbeat } = await import("../src/heartbeat");
    const hb = startHeartbeat(stack.core, () => [], { everyMs: 60_000, staleMs: 60_000 });
    await hb.beat();
    hb.stop();
    await until(async () => {
      const rows = await stack.core.sql`select 1 from sessions where id = ${sessionIdOf(u.token)}`;
      return rows.length === 0;
    });
  });

  it("keeps the jobs of a live worker locked, however long they have run", async () => {
    const owners = stack.worker?.workerIds() ?? [];
    // graphile-worker 0.17 writes the pool's id into `locked_by`; beating under any other id unlocks live jobs.
    expect(owners.length).toBeGreaterThan(0);
    expect(owners.every((o) => o.startsWith("pool-"))).toBe(true);
    // A job this (live) worker took two minutes ago and is still running.
    const key = `live-lock-${Date.now()}`;
    await stack.db.db.transaction((tx) =>
      addJob(tx, "auth/purge_expired", {}, { jobKey: key, runAt: new Date(Date.now() + 3600_000) }),
    );
    const locked = await plantJobLock(stack.core, { key }, { lockedBy: owners[0] ?? "", secondsAgo: 120 });
    expect(locked).toHaveLength(1);
    const { startHeartbeat } = await import("../src/heartbeat");
    const hb = startHeartbeat(stack.core, () => stack.worker?.workerIds() ?? [], {
      everyMs: 60_000,
      staleMs: 60_000,
    });
    await hb.beat();
    hb.stop();
    const [row] = await listJobs(stack.core, { key });
    expect(row?.lockedBy).toBe(owners[0]);
    await removeJobs(stack.core, locked);
  });

  it("registers a stable crontab", async () => {
    const { CRON, TASKS } = await import("../src/tasks/catalog");
    const ids = new Set<string>(TASKS.map((t) => t.identifier));
    expect([...ids].sort()).toEqual(Object.keys(JOBS).sort());
    for (const c of CRON) expect(ids.has(c.task)).toBe(true);
    expect(new Set(CRON.map((c) => c.identifier)).size).toBe(CRON.length);
  });
});
