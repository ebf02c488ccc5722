import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiHandle, type AppRouter, type StartApiOptions, startApi } from "@elsehu/api";
import { type CoreConfig, type CoreContext, createCoreContext, createUser } from "@elsehu/core";
import { connect, type Database } from "@elsehu/db";
import { cloneDatabase } from "@elsehu/db/testing";
import { startWorker, type WorkerHandle } from "@elsehu/worker";
import { createTRPCClient, createWSClient, httpBatchLink, httpLink, wsLink } from "@trpc/client";
import pino from "pino";
import { inject } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { testLogLevel } from "./env";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

export const silentLog = pino({ level: testLogLevel });

/**
 * A core configuration for tests. Without `storagePath` it makes a storage folder of its own:
 * the caller removes it (startStack does, when it closes).
 */
export function testConfig(over: Partial<CoreConfig> = {}): CoreConfig {
  const storagePath = over.storagePath ?? mkdtempSync(join(tmpdir(), "elsehu-storage-"));
  return {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: Buffer.alloc(32, 7),
    storagePath,
    conversationTtlSeconds: 24 * 3600,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
    // The provider simulator listens on 127.0.0.1 (ALLOW_PRIVATE_PROVIDER_URLS=true).
    allowPrivateProviderUrls: true,
    ...over,
  };
}

/** A fresh database for this test file, cloned from the migrated template. */
export async function testDatabase() {
  const clone = await cloneDatabase(inject("templateDatabaseUrl"));
  return clone;
}

export type Stack = {
  url: string;
  databaseUrl: string;
  api: ApiHandle;
  worker: WorkerHandle | null;
  db: Database;
  core: CoreContext;
  config: CoreConfig;
  close: () => Promise<void>;
};

/** A real API (port 0) and, unless disabled, a real graphile-worker on a private database. */
export async function startStack(
  opts: {
    worker?: boolean;
    api?: Partial<StartApiOptions>;
    config?: Partial<CoreConfig>;
    /** A controllable clock for the API, the worker and `stack.core`. */
    now?: () => Date;
    /** Folders the test made for this stack (a console build), removed when it closes. */
    removeOnClose?: string[];
  } = {},
): Promise<Stack> {
  const clone = await testDatabase();
  const config = testConfig(opts.config);
  const api = await startApi({ databaseUrl: clone.url, port: 0, log: silentLog, config, now: opts.now, ...opts.api });
  const worker =
    opts.worker === false
      ? null
      : await startWorker({
          databaseUrl: clone.url,
          log: silentLog,
          config,
          pollIntervalMs: 200,
          cron: false,
          now: opts.now,
        });
  const db = connect(clone.url, { max: 4 });
  const core = createCoreContext(db, silentLog, config, { now: opts.now });
  return {
    url: api.url,
    databaseUrl: clone.url,
    api,
    worker,
    db,
    core,
    config,
    close: async () => {
      await worker?.stop();
      await api.close();
      await db.close();
      await clone.drop();
      // The storage folder testConfig made for this stack (a caller's own storagePath is left alone).
      if (!opts.config?.storagePath) rmSync(config.storagePath, { recursive: true, force: true });
      for (const dir of opts.removeOnClose ?? []) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function httpClient(url: string, token?: string, opts: { batch?: boolean } = {}) {
  const link = (opts.batch === false ? httpLink : httpBatchLink)({
    url: `${url}/trpc`,
    headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
  });
  return createTRPCClient<AppRouter>({ links: [link] });
}

/** `Socket` lets a test pick the socket class (e.g. one sending X-Forwarded-For on the handshake). */
export function wsClient(
  url: string,
  token?: string,
  Socket?: new (url: string, protocols?: string | string[]) => NodeWebSocket,
) {
  const ws = createWSClient({
    url: `${url.replace(/^http/, "ws")}/trpc`,
    connectionParams: () => (token ? { token } : {}),
    retryDelayMs: () => 100,
    // Node 20 has no global WebSocket.
    WebSocket: (Socket ?? globalThis.WebSocket ?? NodeWebSocket) as unknown as typeof WebSocket,
  });
  return { client: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }), ws };
}

let counter = 0;
/** Creates a user directly in core and logs him in over HTTP. */
export async function userWithToken(
  stack: Stack,
  role: "ADMIN" | "SUPERVISOR" | "OPERATOR",
  over: { maxConcurrent?: number; name?: string } = {},
) {
  counter++;
  const email = `${role.toLowerCase()}${counter}-${Date.now()}@test.local`;
  const password = "correct horse battery";
  const user = await createUser(stack.core, null, {
    name: over.name ?? `${role} ${counter}`,
    email,
    password,
    role,
    maxConcurrent: over.maxConcurrent,
  });
  const { token } = await httpClient(stack.url).auth.login.mutate({ email, password });
  return { user, token, email, password, client: httpClient(stack.url, token) };
}
