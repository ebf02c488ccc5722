import { compactMetricCounts } from "@elsehu/core";
import { defineTask } from "../define";

/** Cron: folds the business counters' increments into one row per label set, so /metrics reads stay small. */
export const compactCountsTask = defineTask("metrics/compact_counts", async (_p, { core }) => {
  const folded = await compactMetricCounts(core);
  if (folded > 0) core.log.debug({ folded }, "compacted metric counts");
});
