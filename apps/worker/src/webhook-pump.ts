import {
  type CoreContext,
  type InboxOptions,
  isDatabaseUnavailable,
  RetryLater,
  WEBHOOKS_CHANNEL,
  workWebhookBatch,
} from "@elsehu/core";
import type { Sql } from "@elsehu/db";

/** How far below its cursor a claim still looks (ids). */
const CURSOR_SLACK = 1_000;

export type PumpOptions = InboxOptions & {
  /** Batches worked on at once by this process. */
  lanes: number;
  /** How often an idle lane looks for work without being woken (retries coming due, missed wake-ups). */
  pollMs: number;
};

/**
 * Works the webhook inbox (core/webhooks/webhook-inbox.ts): `lanes` loops each work
 * batches until none is left, then sleep until an acknowledgement's NOTIFY (or
 * `pollMs`) wakes one of them. A full batch wakes another lane, so a backlog is
 * worked in parallel. A wake-up that finds every lane busy is kept for the next lane
 * about to sleep, which looks again instead: a claim that started just before a
 * commit does not see its webhooks. `claims` needs a connection per lane.
 *
 * Claims look past a cursor, the highest id this process claimed less CURSOR_SLACK
 * (webhooks from several APIs commit a little out of id order). An index scan from
 * the start of the inbox walks every entry processed since the last vacuum: under a
 * long burst that made each claim cost more and more (76 µs of Postgres CPU a
 * webhook after 20,000, against 42 after 6,000). The whole inbox is looked at once
 * per `pollMs` and whenever nothing is found past the cursor: retries coming due,
 * and webhooks a dead worker released, are found there.
 */
export function startWebhookPump(core: CoreContext, claims: Sql, opts: PumpOptions) {
  let stopped = false;
  const sleepers = new Set<() => void>();
  let missed = false;
  const wake = (all: boolean) => {
    if (sleepers.size === 0) missed = true;
    for (const s of sleepers) {
      s();
      if (!all) return;
    }
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // Stopping: a lane that was busy when stop() woke the sleepers must not start a nap now.
      if (stopped) return resolve();
      if (missed) {
        missed = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  let cursor = 0;
  let lastSweep = 0;
  const lane = async () => {
    while (!stopped) {
      try {
        const sweep = Date.now() - lastSweep >= opts.pollMs;
        if (sweep) lastSweep = Date.now();
        const after = sweep ? 0 : Math.max(0, cursor - CURSOR_SLACK);
        const { claimed, lastId, failures } = await workWebhookBatch(core, claims, { ...opts, after });
        cursor = Math.max(cursor, lastId);
        for (const f of failures) {
          if (!(f.error instanceof RetryLater)) {
            core.log.warn({ err: f.error, webhookEventId: f.webhookEventId }, "webhook processing failed");
          }
        }
        if (claimed === opts.batch) wake(false);
        else if (claimed === 0 && !sweep) lastSweep = 0;
        else if (claimed === 0) await sleep(opts.pollMs);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) core.log.warn({ err }, "webhook batch failed");
        await sleep(250);
      }
    }
  };

  const subscription = core.sql
    .listen(
      WEBHOOKS_CHANNEL,
      () => wake(false),
      () => wake(true),
    )
    .catch((err: unknown) => {
      core.log.warn({ err }, "webhook wake-ups unavailable; polling");
      return null;
    });
  const lanes = Array.from({ length: opts.lanes }, () => lane());
  return {
    stop: async () => {
      stopped = true;
      wake(true);
      await Promise.all(lanes);
      // A LISTEN still waiting for the database (it is away) is not waited for.
      const listening = await Promise.race([subscription, new Promise<null>((r) => setTimeout(() => r(null), 1_000))]);
      await listening?.unlisten().catch(() => undefined);
    },
  };
}
