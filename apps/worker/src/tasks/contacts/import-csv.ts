import { runContactImport } from "@elsehu/core";
import { defineTask } from "../define";

/**
 * Runs a contact import. If the worker dies mid-file, graphile-worker retries the
 * job (the heartbeat unlocks it) and the import resumes after its last committed batch.
 */
export const importCsvTask = defineTask("contacts/import_csv", async (p, { core }) => {
  await runContactImport(core, p.importId);
});
