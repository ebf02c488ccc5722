import { rmSync } from "node:fs";
import { createCoreContext, publishEvent, type StoredEvent } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { silentLog, testConfig, testDatabase } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RealtimeHub } from "../src/realtime/hub";
import { waitFor } from "./conversation-fixtures";

let clone: Awaited<ReturnType<typeof testDatabase>>;
let db: ReturnType<typeof connect>;
let listenDb: ReturnType<typeof connect>;
let hub: RealtimeHub;
let core: ReturnType<typeof createCoreContext>;

beforeAll(async () => {
  clone = await testDatabase();
  db = connect(clone.url, { max: 20 });
  listenDb = connect(clone.url, { max: 1 });
  core = createCoreContext(db, silentLog, testConfig());
  hub = new RealtimeHub(core, listenDb.sql);
  await hub.start();
});
afterAll(async () => {
  await hub.stop();
  await listenDb.close();
  await db.close();
  await clone.drop();
  rmSync(core.config.storagePath, { recursive: true, force: true });
});

describe("realtime hub", () => {
  it("delivers every committed event exactly once, in id order, through a storm of out-of-order commits and rollbacks", async () => {
    const got: StoredEvent[] = [];
    const off = hub.subscribe((e) => got.push(e));
    // Many writers at once: ids commit out of order, and every fifth transaction rolls back (a hole forever).
    const results = await Promise.allSettled(
      Array.from({ length: 400 }, (_, i) =>
        core.db.transaction(async (tx) => {
          const id = await publishEvent(tx, {
            kind: "queue.changed",
            audience: { to: "ALL" },
            payload: { waiting: i, byDepartment: {} },
          });
          if (i % 5 === 0) throw new Error("rolled back");
          return id;
        }),
      ),
    );
    const committed = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])).sort((a, b) => a - b);
    await waitFor(async () => got.length >= committed.length, 20_000);
    // Give a late duplicate (a replayed hole) the chance to show up.
    await new Promise((r) => setTimeout(r, 1500));
    off();
    const ids = got.map((e) => e.id);
    expect(ids).toEqual(committed);
  });
});
