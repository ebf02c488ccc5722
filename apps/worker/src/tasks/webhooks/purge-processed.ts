import { purgeProcessedWebhooks } from "@elsehu/core";
import { defineTask } from "../define";

/** Cron: deletes processed webhook bodies older than WEBHOOK_RETENTION_DAYS. */
export const purgeProcessedWebhooksTask = defineTask("webhooks/purge_processed", async (_p, { core }) => {
  const result = await purgeProcessedWebhooks(core);
  core.log.info(result, "purged processed webhook bodies");
});
