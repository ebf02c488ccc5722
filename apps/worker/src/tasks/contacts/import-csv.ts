import { IMPORT_JOB, runContactImport } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/**
 * Runs a contact import. If the worker dies mid-file, graphile-worker retries the
 * job (the heartbeat unlocks it) and the import resumes after its last committed batch.
 */
export const importCsvTask = defineTask(IMPORT_JOB, z.object({ importId: z.string().uuid() }), async (p, { core }) => {
  await runContactImport(core, p.importId);
});
