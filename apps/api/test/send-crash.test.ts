import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { silentLog, startWorker, userWithToken, type WorkerHandle } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign, messageById, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

const ROOT = resolve(import.meta.dirname, "../../..");
let p: Pipeline;
let child: ChildProcess | null = null;
let worker: WorkerHandle | null = null;

/** A real worker process (`tsx apps/worker/src/main.ts`) on the test database. */
function spawnWorker(): ChildProcess {
  return spawn(resolve(ROOT, "node_modules/.bin/tsx"), ["apps/worker/src/main.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: p.stack.databaseUrl,
      APP_ENCRYPTION_KEY: p.stack.config.encryptionKey.toString("hex"),
      STORAGE_PATH: p.stack.config.storagePath,
      WORKER_POLL_MS: "200",
      LOG_LEVEL: "silent",
      PROVIDER_TIMEOUT_MS: "60000",
    },
  });
}

function kill(proc: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once("exit", () => done());
    // tsx runs node as its child: kill the whole group we started.
    if (proc.pid) process.kill(-proc.pid, "SIGKILL");
  });
}

beforeAll(async () => {
  p = await startPipeline({ worker: false });
});
afterAll(async () => {
  if (child) await kill(child);
  await worker?.stop();
  await p.close();
});

describe("a worker killed during the provider call", () => {
  it("does not send twice when work resumes: the message ends FAILED as UNKNOWN_AFTER_CRASH", async () => {
    child = spawnWorker();
    const operator = await userWithToken(p.stack, "OPERATOR");
    await p.sim.injectInbound("META", { from: "+5511912345678", body: "oi", id: "wamid.CRASHIN" });
    const inbound = await until(() => messageByProviderId(p.stack, "wamid.CRASHIN"), 30_000);
    await assign(p.stack, inbound.conversation_id, operator.user.id);

    // The simulator holds the send (no answer) while we kill the worker process.
    p.sim.fail({ provider: "META", times: 1, kind: "timeout" });
    const queued = await operator.client.messages.send.mutate({
      conversationId: inbound.conversation_id,
      body: "só uma vez",
    });
    const isHeld = (r: { path: string; body: unknown }) =>
      r.path.endsWith("/messages") && (r.body as { text?: { body?: string } })?.text?.body === "só uma vez";
    await until(async () => p.sim.received.some(isHeld), 30_000);
    expect((await messageById(p.stack, queued.id))?.content?.attemptAt).toBeTruthy();
    await kill(child);
    child = null;

    // Another worker takes over; its heartbeat unlocks the dead worker's job quickly.
    worker = await startWorker({
      databaseUrl: p.stack.databaseUrl,
      log: silentLog,
      config: p.stack.config,
      pollIntervalMs: 200,
      cron: false,
      heartbeat: { everyMs: 300, staleMs: 1000 },
    });
    const row = await until(async () => {
      const r = await messageById(p.stack, queued.id);
      return r?.status === "FAILED" ? r : undefined;
    }, 30_000);
    expect(row.error_code).toBe("UNKNOWN_AFTER_CRASH");
    expect(p.sim.received.filter(isHeld)).toHaveLength(1);
    await until(async () =>
      p.events.some(
        (e) => e.kind === "message.status" && e.payload.messageId === queued.id && e.payload.status === "FAILED",
      ),
    );

    // The operator can resend by hand, and that one goes out normally.
    const again = await operator.client.messages.send.mutate({
      conversationId: inbound.conversation_id,
      body: "reenviada",
    });
    await until(async () => (await messageById(p.stack, again.id))?.provider_message_id, 30_000);
  });
});
