import { syncMetaTemplates } from "@elsehu/core";
import { defineTask } from "../define";

/** Pulls the WhatsApp Business Account's templates of one Meta number (or all of them, hourly). */
export const syncMetaTemplatesTask = defineTask("templates/sync_meta", async (payload, { core }) => {
  await syncMetaTemplates(core, payload.instanceId);
});
