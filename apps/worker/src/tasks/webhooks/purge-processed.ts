import { purgeProcessedWebhooks } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/** Cron: deletes processed webhook bodies older than WEBHOOK_RETENTION_DAYS. */
export const purgeProcessedWebhooksTask = defineTask(
  "webhooks/purge_processed",
  z.object({}).passthrough(),
  async (_p, { core }) => {
    const result = await purgeProcessedWebhooks(core);
    core.log.info(result, "purged processed webhook bodies");
  },
);
