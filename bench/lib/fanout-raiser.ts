import { createCoreContext, publishEvent } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { benchConfig, benchLog } from "./core";

/**
 * The event source of bench/fanout.ts (a child process, like a worker): its
 * own connection pool, one transaction per event (insert + NOTIFY at commit),
 * `sentAt` taken just before the transaction starts.
 */
export async function runRaiser(): Promise<void> {
  const init = await new Promise<{ databaseUrl: string; events: number; gapMs: number }>((resolve) =>
    process.once("message", (m) => resolve(m as { databaseUrl: string; events: number; gapMs: number })),
  );
  const db = connect(init.databaseUrl, { max: 2, applicationName: "elsehu-bench-raiser" });
  const core = createCoreContext(db, benchLog, benchConfig());
  for (let seq = 0; seq < init.events; seq++) {
    await core.db.transaction((tx) =>
      publishEvent(tx, {
        kind: "queue.changed",
        audience: { to: "ALL" },
        payload: { waiting: seq, seq, sentAt: Date.now() },
      }),
    );
    await new Promise((r) => setTimeout(r, init.gapMs));
  }
  await db.close();
  process.send?.({ type: "done" });
  process.exit(0);
}
