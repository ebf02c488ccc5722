import { createCoreContext, publishEvent } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { benchConfig, benchLog } from "./core";

type Command = { type: "raise"; events: number; gapMs: number } | { type: "stop" };

/**
 * The event source of bench/fanout.ts (a child process, like a worker): its
 * own connection pool, one transaction per event (insert + NOTIFY at commit),
 * `sentAt` taken just before the transaction starts. Raises a batch of events
 * on each `raise`, answers `done`.
 */
export async function runRaiser(): Promise<void> {
  const init = await nextMessage<{ databaseUrl: string }>();
  const db = connect(init.databaseUrl, { max: 2, applicationName: "elsehu-bench-raiser" });
  const core = createCoreContext(db, benchLog, benchConfig());
  let seq = 0;
  process.send?.({ type: "ready" });
  for (let m = await nextMessage<Command>(); m.type === "raise"; m = await nextMessage<Command>()) {
    for (let i = 0; i < m.events; i++, seq++) {
      // A catalog payload: the marks ride in `byDepartment` (a map of numbers).
      const payload = { waiting: seq, byDepartment: { seq, sentAt: Date.now() } };
      await core.db.transaction((tx) => publishEvent(tx, { kind: "queue.changed", audience: { to: "ALL" }, payload }));
      await new Promise((r) => setTimeout(r, m.gapMs));
    }
    process.send?.({ type: "done" });
  }
  await db.close();
  process.exit(0);
}

function nextMessage<T>(): Promise<T> {
  return new Promise((resolve) => process.once("message", (m) => resolve(m as T)));
}
