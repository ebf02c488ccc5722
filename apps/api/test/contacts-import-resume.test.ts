import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
const children: ChildProcess[] = [];
/** The worker processes' DATA_DIR, removed with them. */
const dataDir = mkdtempSync(join(tmpdir(), "elsehu-worker-"));
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await Promise.all(children.map(exited));
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A real worker process on the test database, with a fast heartbeat so a dead one is noticed quickly. */
function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/worker/src/main.ts"], {
    cwd: join(__dirname, "../../.."),
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      STORAGE_PATH: stack.config.storagePath,
      DATA_DIR: dataDir,
      APP_ENCRYPTION_KEY: stack.config.encryptionKey.toString("hex"),
      WORKER_POLL_MS: "200",
      WORKER_HEARTBEAT_MS: "300",
      WORKER_STALE_MS: "1500",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

const VALID = 60_000;
const DUPLICATES = 1_000;
const BAD = 500;

/** VALID distinct mobiles (some without the ninth digit), DUPLICATES repeats of earlier ones, BAD garbage phones. */
function bigCsv(): string {
  const lines = ["nome;telefone;cidade"];
  let dup = 0;
  let bad = 0;
  for (let i = 0; i < VALID; i++) {
    const sub = String(10_000_000 + i * 13);
    lines.push(`Pessoa ${i};(61) 9${sub.slice(0, 4)}-${sub.slice(4)};Brasília`);
    if (i % 60 === 59 && dup < DUPLICATES) {
      dup++;
      const j = i - 30;
      const s2 = String(10_000_000 + j * 13);
      lines.push(`Repetida ${j};+55 61 9${s2};Goiânia`);
    }
    if (i % 120 === 7 && bad < BAD) {
      bad++;
      lines.push(`Ruim ${i};telefone ${i};Lugar`);
    }
  }
  return lines.join("\n");
}

async function importRow(id: string) {
  const [row] = await stack.core.sql<{ status: string; checkpoint_rows: number }[]>`
    select status, checkpoint_rows from imports where id = ${id}`;
  return row;
}

describe("an import whose worker is killed", () => {
  it("resumes on another worker with exact counts and no duplicate contacts", { timeout: 180_000 }, async () => {
    const admin = await userWithToken(stack, "ADMIN");
    const res = await fetch(`${stack.url}/uploads/contacts-csv?name=grande.csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}` },
      body: bigCsv(),
    });
    const { importId } = (await res.json()) as { importId: string };
    await admin.client.contacts.import.mutate({ importId });

    const first = spawnWorker();
    for (;;) {
      const row = await importRow(importId);
      if ((row?.checkpoint_rows ?? 0) >= 10_000) break;
      if (row?.status !== "RUNNING") throw new Error(`import ended before the kill: ${row?.status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = await importRow(importId);
    expect(atKill?.status).toBe("RUNNING");
    expect(atKill?.checkpoint_rows).toBeLessThan(VALID);

    spawnWorker();
    let status = await admin.client.contacts.importStatus.query({ id: importId });
    while (status.status === "RUNNING") {
      await new Promise((r) => setTimeout(r, 200));
      status = await admin.client.contacts.importStatus.query({ id: importId });
    }
    expect(status).toMatchObject({
      status: "COMPLETED",
      rowsRead: VALID + DUPLICATES + BAD,
      imported: VALID,
      updated: DUPLICATES,
      invalid: BAD,
    });
    const [counts] = await stack.core.sql<{ n: number; keys: number }[]>`
      select count(*)::int as n, count(distinct phone_key)::int as keys from contacts`;
    expect(counts).toEqual({ n: VALID, keys: VALID });
    const [errors] = await stack.core.sql<{ n: number }[]>`
      select count(*)::int as n from import_errors where import_id = ${importId}`;
    expect(errors?.n).toBe(BAD);
  });
});

/** Resolves once the child process has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once("exit", () => r()));
}
