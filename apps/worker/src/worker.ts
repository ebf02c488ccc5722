import { EventEmitter } from "node:events";
import { type CoreConfig, createCoreContext } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { Logger as GwLogger, makeWorkerUtils, parseCronItems, run, type WorkerEvents } from "graphile-worker";
import type { Logger } from "pino";
import { startHeartbeat } from "./heartbeat";
import { buildTaskList, CRON } from "./tasks/catalog";

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
};

/** `workerIds`: the lock owner ids (`locked_by`) of this process's jobs. */
export type WorkerHandle = { stop: () => Promise<void>; workerIds: () => string[] };

/** Starts one worker process: graphile-worker runner, crontab and heartbeat. */
export async function startWorker(opts: StartWorkerOptions): Promise<WorkerHandle> {
  const database = connect(opts.databaseUrl, { max: (opts.concurrency ?? 8) + 2, applicationName: "elsehu-worker" });
  const core = createCoreContext(database, opts.log, opts.config, { now: opts.now });
  const events: WorkerEvents = new EventEmitter();
  const ids = new Set<string>();
  // graphile-worker 0.17 locks jobs with the pool's id (`pool-…`), not each worker's: that id is what beats.
  events.on("pool:create", ({ workerPool }) => ids.add(workerPool.id));
  events.on("pool:release", ({ workerPool }) => ids.delete(workerPool.id));
  const gwLog = new GwLogger(() => (level: string, message: string, meta?: unknown) => {
    const l = level === "error" ? "error" : level === "warning" ? "warn" : "debug";
    opts.log[l]({ meta }, message);
  });
  const runner = await run({
    connectionString: opts.databaseUrl,
    concurrency: opts.concurrency ?? 8,
    pollInterval: opts.pollIntervalMs ?? 2000,
    noHandleSignals: true,
    taskList: buildTaskList({ core }),
    parsedCronItems: opts.cron === false ? [] : parseCronItems(CRON),
    events,
    logger: gwLog,
  });
  const utils = await makeWorkerUtils({ connectionString: opts.databaseUrl });
  const hb = startHeartbeat(core, utils, () => [...ids], opts.heartbeat ?? { everyMs: 10_000, staleMs: 60_000 });
  let stopped = false;
  return {
    workerIds: () => [...ids],
    stop: async () => {
      if (stopped) return;
      stopped = true;
      hb.stop();
      // Graceful: running jobs finish, nothing new is taken.
      await runner.stop();
      await utils.release();
      await database.close();
    },
  };
}
