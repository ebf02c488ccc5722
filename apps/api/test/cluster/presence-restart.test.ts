import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CoreContext, createCoreContext, setPresence, sweepPresence } from "@elsehu/core";
import { connect, type Database, type Embedded, migrate, startEmbeddedPostgres } from "@elsehu/db";
import { silentLog, testConfig } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeNode, makeOperator } from "../conversation-fixtures";
import { freePort } from "./own-postgres";

// A Postgres of its own, stopped and started again on the same port and data directory.
const dir = mkdtempSync(join(tmpdir(), "elsehu-presence-restart-"));
let pg: Embedded;
let port: number;
let database: Database;
let core: CoreContext;
beforeAll(async () => {
  port = await freePort();
  pg = await startEmbeddedPostgres({ dir, port, persistent: true });
  await migrate(pg.url);
  database = connect(pg.url, { max: 2 });
  core = createCoreContext(database, silentLog, testConfig());
}, 60_000);
afterAll(async () => {
  await database?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
  if (core) rmSync(core.config.storagePath, { recursive: true, force: true });
});

const presenceOf = async (id: string) =>
  (await database.sql<{ presence: string }[]>`select presence from users where id = ${id}`)[0]?.presence;

describe("presence across a database restart", () => {
  it("keeps connected operators online after an outage longer than the heartbeat limit", async () => {
    const online = await makeOperator(core);
    const paused = await makeOperator(core);
    const node = await fakeNode(core);
    await node.connect(online.id);
    await node.connect(paused.id);
    await setPresence(
      core,
      { id: paused.id, role: "OPERATOR", name: paused.name },
      { status: "PAUSED", reason: "almoço" },
    );
    expect(await presenceOf(online.id)).toBe("ONLINE");

    // The API process cannot beat while the database is down; the outage outlasts the 3 s limit.
    await pg.stop();
    await new Promise((r) => setTimeout(r, 4_000));
    pg = await startEmbeddedPostgres({ dir, port, persistent: true });

    // First sweep after the restart: the process has not beaten yet, but it gets the 3 s again.
    const first = await sweepPresence(core, { graceSeconds: 0, staleSeconds: 3 });
    expect(first.offline).toEqual([]);
    expect(await presenceOf(online.id)).toBe("ONLINE");
    expect(await presenceOf(paused.id)).toBe("PAUSED");

    // A process that never beats again is still noticed, counted from the restart.
    await new Promise((r) => setTimeout(r, 3_500));
    const later = await sweepPresence(core, { graceSeconds: 0, staleSeconds: 3 });
    expect(later.offline.sort()).toEqual([online.id, paused.id].sort());
    expect(await presenceOf(online.id)).toBe("OFFLINE");
  }, 60_000);
});
