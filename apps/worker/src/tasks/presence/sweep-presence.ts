import { sweepPresence } from "@elsehu/core";
import { defineTask } from "../define";

/**
 * Cron safety net for presence: API processes sweep every few seconds with the
 * configured grace; this catches the case where every API process died.
 */
export const sweepPresenceTask = defineTask("presence/sweep", async (_p, { core }) => {
  await sweepPresence(core, { graceSeconds: 60 });
});
