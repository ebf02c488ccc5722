import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addJob } from "../../src/jobs/add-job";
import { JobPayloadError } from "../../src/jobs/catalog";
import { listJobs } from "../../src/jobs/job-rows";
import { type CoreFixture, startCoreFixture } from "../core-fixture";

let f: CoreFixture;
beforeAll(async () => {
  f = await startCoreFixture("job-catalog");
});
afterAll(async () => {
  await f.close();
});

describe("the job catalog", () => {
  it("queues a job whose payload matches its schema", async () => {
    const messageId = randomUUID();
    await f.core.db.transaction((tx) => addJob(tx, "messages/send_message", { messageId }));
    const jobs = await listJobs(f.core, { task: "messages/send_message" });
    expect(jobs.map((j) => j.payload)).toContainEqual({ messageId });
  });

  it("refuses a bad payload at runtime, naming the job and the field, and queues nothing", async () => {
    const bad = { conversationId: "not-a-uuid" } as unknown as { conversationId: string };
    const queued = f.core.db.transaction((tx) => addJob(tx, "messages/mark_read", bad));
    await expect(queued).rejects.toBeInstanceOf(JobPayloadError);
    await expect(queued).rejects.toThrow(/job messages\/mark_read: bad payload \(conversationId: /);
    expect(await listJobs(f.core, { task: "messages/mark_read" })).toEqual([]);
  });

  it("types the payload by the job's name (checked by `pnpm typecheck`)", () => {
    const typeOnly = (run: boolean) => {
      if (!run) return;
      const tx = f.core.db;
      // @ts-expect-error a job that is not in the catalog
      void addJob(tx, "messages/send_mesage", { messageId: "x" });
      // @ts-expect-error the send job's field is messageId
      void addJob(tx, "messages/send_message", { id: "x" });
      // @ts-expect-error an assignment reason outside the catalog's list
      void addJob(tx, "conversations/assign_waiting", { reason: "whim" });
    };
    typeOnly(false);
  });
});
