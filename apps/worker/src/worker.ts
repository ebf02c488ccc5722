import { EventEmitter } from "node:events";
import { type CoreConfig, createCoreContext, SEND_BATCH_CONCURRENCY, traceSql, tracingOn } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { Logger as GwLogger, parseCronItems, type Runner, run, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import type { Logger } from "pino";
import { startHeartbeat } from "./heartbeat";
import { buildTaskList, CRON } from "./tasks/catalog";
import { startWebhookPump } from "./webhook-pump";

export type StartWorkerOptions = {
  databaseUrl: string;
  log: Logger;
  config: CoreConfig;
  concurrency?: number;
  pollIntervalMs?: number;
  now?: () => Date;
  heartbeat?: { everyMs: number; staleMs: number };
  /** Tests and benchmarks may run without the crontab. */
  cron?: boolean;
  /** Webhook inbox lanes (claims worked on at once); 0 leaves the inbox to other workers. */
  webhookLanes?: number;
  /** statement_timeout and idle_in_transaction_session_timeout of every connection (DB_* settings). */
  dbTimeouts?: { statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number };
};

/**
 * Webhook inbox lanes by default. A lane applying a burst of first messages one by one mostly waits on
 * round trips, so more lanes drain a burst of new customers faster even on two cores (`bench storm`).
 */
export const DEFAULT_WEBHOOK_LANES = 8;

/** `workerIds`: the lock owner ids (`locked_by`) of this process's jobs. */
export type WorkerHandle = { stop: () => Promise<void>; workerIds: () => string[] };

/** Starts one worker process: graphile-worker runner, crontab and heartbeat. */
export async function startWorker(opts: StartWorkerOptions): Promise<WorkerHandle> {
  const lanes = opts.webhookLanes ?? DEFAULT_WEBHOOK_LANES;
  // Each running job and each inbox lane applying its batch writes through this pool; a batch send's
  // messages go out a few at a time (SEND_BATCH_CONCURRENCY), each holding one while it writes.
  const database = connect(opts.databaseUrl, {
    max: (opts.concurrency ?? 8) + lanes + 2 + SEND_BATCH_CONCURRENCY,
    applicationName: "elsehu-worker",
    ...opts.dbTimeouts,
    // Statement spans only while tracing is on: otherwise the client is not even wrapped.
    wrap: tracingOn() ? traceSql : undefined,
  });
  const core = createCoreContext(database, opts.log, opts.config, { now: opts.now });
  const events: WorkerEvents = new EventEmitter();
  const ids = new Set<string>();
  // graphile-worker 0.17 locks jobs with the pool's id (`pool-…`), not each worker's: that id is what beats.
  events.on("pool:create", ({ workerPool }) => ids.add(workerPool.id));
  events.on("pool:release", ({ workerPool }) => ids.delete(workerPool.id));
  const gwLog = new GwLogger(() => (level: string, message: string, meta?: unknown) => {
    const l = level === "error" ? "error" : level === "warning" ? "warn" : "debug";
    opts.log[l]({ meta: summarizeMeta(meta) }, message);
  });
  // One pg pool for the runner and the utils, owned by us: its error listener stays for the whole
  // process, so an idle client dying during a Postgres restart is logged instead of crashing it.
  // TCP keep-alive: a connection whose server vanished without a reset (a host gone) is found dead.
  const pgPool = new pg.Pool({
    connectionString: opts.databaseUrl,
    max: (opts.concurrency ?? 8) + 4,
    keepAlive: true,
    application_name: "elsehu-graphile",
    ...(opts.dbTimeouts?.statementTimeoutMs ? { statement_timeout: opts.dbTimeouts.statementTimeoutMs } : {}),
    ...(opts.dbTimeouts?.idleInTransactionTimeoutMs
      ? { idle_in_transaction_session_timeout: opts.dbTimeouts.idleInTransactionTimeoutMs }
      : {}),
  });
  pgPool.on("error", (err) => opts.log.warn({ err: { message: err.message } }, "idle database client lost"));
  pgPool.on("connect", (client) => {
    client.on("error", (err) => opts.log.warn({ err: { message: err.message } }, "database client lost"));
  });
  const startRunner = () =>
    run({
      pgPool,
      concurrency: opts.concurrency ?? 8,
      pollInterval: opts.pollIntervalMs ?? 2000,
      noHandleSignals: true,
      taskList: buildTaskList({ core }),
      parsedCronItems: opts.cron === false ? [] : parseCronItems(CRON),
      events,
      logger: gwLog,
      // Unbatched, graphile-worker 0.17 records a job's outcome in a promise nobody awaits: a database
      // outage then crashes the process (unhandled rejection). Batched (delay 0), the failure shuts the
      // pool down cleanly instead, and `supervise` below starts a new one.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
  let runner = await startRunner();
  let stopped = false;
  let restarting: Promise<void> | null = null;

  /**
   * graphile-worker shuts its pool down (and rejects `runner.promise`) when it
   * cannot record a job's outcome, e.g. while Postgres restarts. The process
   * stays up and starts a fresh runner once the database answers again; the
   * dead pool's id stops beating, so its locked jobs are unlocked as stale.
   */
  const supervise = (r: Runner) => {
    const ended = (err: unknown) => {
      if (stopped || r !== runner || replaced.has(r)) return;
      replaced.add(r);
      opts.log.error({ err: err ?? undefined }, "job runner stopped unexpectedly; starting a new one");
      ids.clear();
      restarting = (async () => {
        for (let attempt = 0; !stopped; attempt++) {
          // At most 2 s between tries: the runner is back within 2 s of the database, however long it was away.
          await new Promise((res) => setTimeout(res, Math.min(2_000, 250 * 2 ** attempt)));
          if (stopped) return;
          try {
            const next = await startRunner();
            if (stopped) return void (await next.stop());
            runner = next;
            supervise(next);
            opts.log.info("job runner restarted");
            return;
          } catch (e) {
            opts.log.warn({ err: e }, "job runner restart failed; retrying");
          }
        }
      })();
    };
    r.promise.then(
      () => ended(null),
      (err: unknown) => ended(err),
    );
    abandon = (reason: string) => {
      ended(new Error(reason));
      // Its stuck jobs keep their lock under the old pool id, which stops beating: they are unlocked as stale.
      void r.kill(reason).catch(() => undefined);
    };
  };
  /**
   * A pool whose worker died on a database error shuts itself down gracefully, i.e. it
   * waits for its running jobs; a job stuck on a connection lost in the outage made it
   * wait forever (runner.promise never settled, nothing was polled again while the
   * heartbeat kept its locks alive). Such a pool is replaced at once instead.
   */
  const replaced = new WeakSet<Runner>();
  let abandon: (reason: string) => void = () => undefined;
  events.on("pool:gracefulShutdown", ({ workerPool, message }) => {
    if (stopped || !ids.has(workerPool.id)) return;
    opts.log.warn({ reason: message }, "job runner pool shutting itself down; replacing it");
    abandon(message);
  });
  supervise(runner);
  const heartbeat = opts.heartbeat ?? { everyMs: 10_000, staleMs: 60_000 };
  const hb = startHeartbeat(core, () => [...ids], heartbeat);
  // The inbox's claiming transactions get connections of their own (see workWebhookBatch).
  const inbox = connect(opts.databaseUrl, {
    max: Math.max(1, lanes),
    applicationName: "elsehu-webhooks",
    ...opts.dbTimeouts,
    wrap: tracingOn() ? traceSql : undefined,
  });
  const pump = startWebhookPump(core, inbox.sql, {
    lanes,
    batch: 200,
    maxAttempts: 10,
    pollMs: opts.pollIntervalMs ?? 2000,
  });
  return {
    workerIds: () => [...ids],
    stop: async () => {
      if (stopped) return;
      stopped = true;
      hb.stop();
      await pump.stop();
      await inbox.close();
      await restarting;
      // Graceful: running jobs finish, nothing new is taken.
      await runner.stop().catch((err: unknown) => opts.log.warn({ err }, "runner stop failed"));
      await pgPool.end();
      await database.close();
    },
  };
}

/**
 * graphile-worker's log meta carries whole pg clients (connection parameters)
 * and job payloads: keep scalars, errors' message and code, and job ids only.
 */
function summarizeMeta(meta: unknown): Record<string, unknown> | undefined {
  if (!meta || typeof meta !== "object") return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) out[key] = value;
    else if (value instanceof Error || (typeof value === "object" && "message" in value)) {
      const e = value as { message?: unknown; code?: unknown };
      out[key] = { message: String(e.message), code: e.code };
    } else if (key === "job" && typeof value === "object" && "id" in value) {
      const j = value as { id?: unknown; task_identifier?: unknown; attempts?: unknown };
      out[key] = { id: j.id, task: j.task_identifier, attempts: j.attempts };
    } else if (Array.isArray(value)) out[key] = { count: value.length };
  }
  return out;
}
