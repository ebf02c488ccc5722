/**
 * The worker in a process of its own, as deployed (the compose files run `api` and `worker` apart): in
 * one process the API's acknowledgements, the simulator and the load generator would share the worker's
 * event loop and be charged to it. The child gets the parent's config (same encryption key, so it reads
 * the numbers' secrets the API stored) and stops, draining its jobs, when `stop()` is called.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CoreConfig } from "@elsehu/core";

type Options = { databaseUrl: string; config: CoreConfig; concurrency?: number; webhookLanes?: number };
const ROLE = "BENCH_WORKER_CHILD";

export async function startWorkerProcess(opts: Options): Promise<{ stop: () => Promise<void> }> {
  const spec = { ...opts, config: { ...opts.config, encryptionKey: opts.config.encryptionKey.toString("hex") } };
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [ROLE]: JSON.stringify(spec) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`worker process exited early (${code})`)));
  });
  return {
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("stop");
      await exited;
    },
  };
}

if (process.env[ROLE]) {
  const spec = JSON.parse(process.env[ROLE]) as Omit<Options, "config"> & {
    config: Omit<CoreConfig, "encryptionKey"> & { encryptionKey: string };
  };
  const { startWorker } = await import("@elsehu/worker");
  const { benchLog } = await import("./core");
  const worker = await startWorker({
    databaseUrl: spec.databaseUrl,
    log: benchLog,
    config: { ...spec.config, encryptionKey: Buffer.from(spec.config.encryptionKey, "hex") },
    concurrency: spec.concurrency,
    webhookLanes: spec.webhookLanes,
    cron: false,
  });
  process.send?.("ready");
  process.once("message", () => {
    void worker.stop().then(() => process.exit(0));
  });
}
