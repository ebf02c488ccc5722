import { type ChildProcess, spawn } from "node:child_process";
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  type WriteStream,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type CoreConfig, type CoreContext, createCoreContext, createUser } from "@elsehu/core";
import { connect, type Database } from "@elsehu/db";
import { cloneDatabase } from "@elsehu/db/testing";
import { type Simulator, type SimulatorOptions, startSimulator } from "@elsehu/providers/simulator";
import { httpClient, silentLog } from "@elsehu/testing";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { inject } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import type { AppRouter } from "../../src/router";

/**
 * Cluster harness: real `node --import tsx` API and worker processes (so a
 * SIGKILL really kills), all on one private database, with the provider
 * simulator in the test process. Every process's stdout/stderr is kept under
 * test-artifacts/cluster/<run>/ for the log secret scan and for post-mortems.
 */

export const ROOT = resolve(import.meta.dirname, "..", "..", "..", "..");
export const ENCRYPTION_KEY = Buffer.alloc(32, 7);
const ARTIFACTS = join(ROOT, "test-artifacts", "cluster");

export type Kind = "api" | "worker";

/** One child process; `restart` spawns a fresh one with the same name and environment. */
export class ClusterProcess {
  child!: ChildProcess;
  url = "";
  workerIds: string[] = [];
  generation = 0;
  private log!: WriteStream;
  private exitPromise!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly kind: Kind,
    readonly name: string,
    private env: NodeJS.ProcessEnv,
    private logDir: string,
  ) {}

  /** Spawns the process and resolves once it says it is ready (API: bound URL; worker: started). */
  async start(timeoutMs = 60_000): Promise<this> {
    this.generation++;
    const entry = this.kind === "api" ? "apps/api/src/main.ts" : "apps/worker/src/main.ts";
    this.child = spawn(process.execPath, ["--import", "tsx", entry], {
      cwd: ROOT,
      env: this.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.log = createWriteStream(join(this.logDir, `${this.name}.${this.generation}.log`));
    this.exitPromise = new Promise((r) => this.child.once("exit", (code, signal) => r({ code, signal })));
    const ready = new Promise<void>((resolveReady, reject) => {
      let buffer = "";
      const timer = setTimeout(() => reject(new Error(`${this.name} not ready in ${timeoutMs} ms`)), timeoutMs);
      this.child.stdout?.on("data", (chunk: Buffer) => {
        this.log.write(chunk);
        buffer += chunk.toString("utf8");
        let nl = buffer.indexOf("\n");
        while (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf("\n");
          const msg = parseLine(line);
          if (msg?.msg === "api listening" && typeof msg.url === "string") {
            this.url = msg.url;
            clearTimeout(timer);
            resolveReady();
          } else if (msg?.msg === "worker started") {
            this.workerIds = Array.isArray(msg.workerIds) ? msg.workerIds.map(String) : [];
            clearTimeout(timer);
            resolveReady();
          }
        }
      });
      this.child.stderr?.on("data", (chunk: Buffer) => this.log.write(chunk));
      void this.exitPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited before ready (code ${code}, signal ${signal})`));
      });
    });
    await ready;
    return this;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` and waits for the exit; returns how it ended. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 30_000) {
    if (!this.alive) return this.exitPromise;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const result = await this.exitPromise;
    clearTimeout(timer);
    await new Promise<void>((r) => this.log.end(() => r()));
    return result;
  }

  kill9() {
    return this.stop("SIGKILL");
  }

  exited() {
    return this.exitPromise;
  }

  async restart(): Promise<this> {
    await this.stop("SIGKILL");
    return this.start();
  }
}

function parseLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith("{")) return null;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export type ClusterOptions = {
  apis?: number;
  workers?: number;
  /** Use this database instead of a clone of the test template (e.g. a Postgres the test restarts). */
  databaseUrl?: string;
  logLevel?: string;
  env?: Record<string, string>;
  simulator?: SimulatorOptions;
  /** Directory name under test-artifacts/cluster/. */
  name: string;
};

export type Cluster = {
  apis: ClusterProcess[];
  workers: ClusterProcess[];
  sim: Simulator;
  databaseUrl: string;
  core: CoreContext;
  db: Database;
  config: CoreConfig;
  logDir: string;
  /** Adds a process (e.g. a replacement worker) with the cluster's environment. */
  spawn: (kind: Kind, name: string) => Promise<ClusterProcess>;
  close: () => Promise<void>;
};

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const clone = opts.databaseUrl ? null : await cloneDatabase(inject("templateDatabaseUrl"));
  const databaseUrl = opts.databaseUrl ?? clone?.url ?? "";
  const logDir = join(ARTIFACTS, `${opts.name}-${Date.now()}`);
  mkdirSync(logDir, { recursive: true });
  const storage = mkdtempSync(join(tmpdir(), "elsehu-cluster-"));
  const config: CoreConfig = {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: ENCRYPTION_KEY,
    storagePath: storage,
    conversationTtlSeconds: 24 * 3600,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
    allowPrivateProviderUrls: true,
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    NODE_ENV: "test",
    LOG_LEVEL: opts.logLevel ?? "info",
    HOST: "127.0.0.1",
    PORT: "0",
    APP_ENCRYPTION_KEY: ENCRYPTION_KEY.toString("hex"),
    DATA_DIR: storage,
    STORAGE_PATH: storage,
    WORKER_POLL_MS: "200",
    WORKER_HEARTBEAT_MS: "300",
    WORKER_STALE_MS: "1500",
    WORKER_CONCURRENCY: "4",
    PRESENCE_GRACE: "5",
    DB_POOL_MAX: "6",
    // The simulator listens on 127.0.0.1.
    ALLOW_PRIVATE_PROVIDER_URLS: "true",
    // Base of the webhook URL set on Evolution when a number is added (tests re-point the simulator).
    PUBLIC_URL: "http://127.0.0.1:9",
    ...opts.env,
  };
  const sim = await startSimulator({ autoStatuses: false, ...opts.simulator });
  const apis: ClusterProcess[] = [];
  const workers: ClusterProcess[] = [];
  const spawnOne = async (kind: Kind, name: string) => {
    const p = new ClusterProcess(kind, name, env, logDir);
    (kind === "api" ? apis : workers).push(p);
    return p.start();
  };
  await Promise.all([
    ...Array.from({ length: opts.apis ?? 2 }, (_, i) => spawnOne("api", `api-${i + 1}`)),
    ...Array.from({ length: opts.workers ?? 2 }, (_, i) => spawnOne("worker", `worker-${i + 1}`)),
  ]);
  const db = connect(databaseUrl, { max: 4, applicationName: "elsehu-cluster-test" });
  const core = createCoreContext(db, silentLog, config);
  return {
    apis,
    workers,
    sim,
    databaseUrl,
    core,
    db,
    config,
    logDir,
    spawn: spawnOne,
    close: async () => {
      await Promise.all([...apis, ...workers].map((p) => p.stop("SIGKILL")));
      await sim.close();
      await db.close();
      await clone?.drop();
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A user created in core and logged in over HTTP on `apiUrl`. */
export async function clusterUser(
  cluster: Cluster,
  role: "ADMIN" | "SUPERVISOR" | "OPERATOR",
  apiUrl: string,
  over: { maxConcurrent?: number; password?: string } = {},
) {
  counter++;
  const email = `${role.toLowerCase()}${counter}-${Date.now()}@cluster.local`;
  const password = over.password ?? `senha-${counter}-${Math.random().toString(36).slice(2, 10)}`;
  const user = await createUser(cluster.core, null, {
    name: `${role} ${counter}`,
    email,
    password,
    role,
    maxConcurrent: over.maxConcurrent,
  });
  const { token } = await httpClient(apiUrl).auth.login.mutate({ email, password });
  return { user, token, email, password };
}

export async function until<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms: number,
  what = "condition",
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every JSON log line written so far by the cluster's processes, with the file it came from. */
export function readLogs(cluster: Pick<Cluster, "logDir">): Array<{ file: string; line: Record<string, unknown> }> {
  const out: Array<{ file: string; line: Record<string, unknown> }> = [];
  for (const file of readdirSync(cluster.logDir)) {
    for (const raw of readFileSync(join(cluster.logDir, file), "utf8").split("\n")) {
      const line = parseLine(raw);
      if (line) out.push({ file, line });
    }
  }
  return out;
}

/**
 * A console's WebSocket client with a tiny failover: each connection attempt
 * goes to the next API URL in turn, so when its process dies the client lands on
 * another. Subscriptions resume with their last tracked id (tRPC does that).
 */
export function failoverWsClient(
  urls: string[],
  token: string,
  opts: { start?: number; retryDelayMs?: (attempt: number) => number } = {},
) {
  let next = opts.start ?? 0;
  const state = { current: "", opens: [] as Array<{ url: string; at: number }>, closes: [] as number[] };
  const ws = createWSClient({
    url: () => {
      const url = urls[next % urls.length] ?? "";
      next++;
      state.current = url;
      return `${url.replace(/^http/, "ws")}/trpc`;
    },
    connectionParams: () => ({ token }),
    retryDelayMs: opts.retryDelayMs ?? (() => 200),
    onOpen: () => state.opens.push({ url: state.current, at: Date.now() }),
    onClose: () => state.closes.push(Date.now()),
    // Node 20 has no global WebSocket.
    WebSocket: (globalThis.WebSocket ?? NodeWebSocket) as unknown as typeof WebSocket,
  });
  return { client: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), ws, state };
}
