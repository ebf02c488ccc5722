import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startCampaign, WORKER_DIED } from "@elsehu/core";
import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import {
  draftCampaign,
  metaInstance,
  orderTemplate,
  phones,
  type Stack,
  startStack,
  userWithToken,
} from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
let stack: Stack;
let sim: Simulator;
const children: ChildProcess[] = [];
/** The worker processes' DATA_DIR, removed with them. */
const dataDir = mkdtempSync(join(tmpdir(), "elsehu-worker-"));

/** A real worker process (`node --import tsx`, one process, so SIGKILL really kills it). */
function workerProcess(databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      WORKER_POLL_MS: "200",
      WORKER_HEARTBEAT_MS: "300",
      WORKER_STALE_MS: "1500",
      APP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("hex"),
      DATA_DIR: dataDir,
    },
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  stack = await startStack({ worker: false });
  sim = await startSimulator({ hangMs: 4000, autoStatuses: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all(children.map(exited));
  await sim.close();
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("campaign dispatch survives a killed worker", () => {
  it("never sends a recipient twice and accounts for every one after SIGKILL mid-call and a restart", async () => {
    const u = await userWithToken(stack, "ADMIN");
    const admin = { id: u.user.id, role: "ADMIN" as const, name: u.user.name };
    const instance = await metaInstance(stack.core, sim.url, { timeoutMs: 1500 });
    const template = await orderTemplate(stack.core, admin);
    const list = phones(8, 3_000_000);
    const campaign = await draftCampaign(stack.core, admin, {
      instanceId: instance.id,
      templateId: template.id,
      recipients: list,
      pacePerMinute: 240,
    });
    await startCampaign(stack.core, admin, campaign.id);

    const first = workerProcess(stack.databaseUrl);
    await until(() => sim.sentMessages().length >= 2, 30_000);
    // The next provider call hangs; kill the worker while it is in flight.
    sim.fail({ kind: "timeout", times: 1 });
    const sends = () => sim.received.filter((r) => r.method === "POST" && r.path.endsWith("/messages")).length;
    const before = sends();
    await until(() => sends() > before, 10_000);
    first.kill("SIGKILL");
    await until(() => first.signalCode === "SIGKILL", 5_000);
    const [inFlight] = await stack.core.sql`select count(*)::int as n from campaign_recipients
      where campaign_id = ${campaign.id} and status = 'SENDING'`;
    expect(inFlight?.n).toBe(1);

    const second = workerProcess(stack.databaseUrl);
    await until(async () => {
      const [c] = await stack.core.sql`select status from campaigns where id = ${campaign.id}`;
      return c?.status === "COMPLETED";
    }, 45_000);
    second.kill("SIGTERM");

    const sentTo = sim.sentMessages().map((m) => `+${m.to}`);
    expect(new Set(sentTo).size).toBe(sentTo.length);
    const rows = await stack.core.sql<{ phone: string; status: string; reason: string | null }[]>`
      select phone, status, reason from campaign_recipients where campaign_id = ${campaign.id} order by id`;
    const terminal = ["SENT", "DELIVERED", "READ", "FAILED", "SKIPPED", "UNKNOWN"];
    expect(rows.every((r) => terminal.includes(r.status))).toBe(true);
    const unknown = rows.filter((r) => r.status === "UNKNOWN");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.reason).toBe(WORKER_DIED);
    // The orphan was never retried: the simulator accepted exactly the others, once each.
    expect(sentTo.sort()).toEqual(
      rows
        .filter((r) => r.status === "SENT")
        .map((r) => r.phone)
        .sort(),
    );
    expect(sentTo.length + unknown.length).toBe(list.length);
  }, 90_000);
});

/** Resolves once the child process has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once("exit", () => r()));
}
