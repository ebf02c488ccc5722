import { drainQueue } from "@elsehu/core";
import { defineTask } from "../define";

/** Drains the queue; safe to run twice at once (see core assignWaiting / drainQueue). */
export const assignWaitingTask = defineTask("conversations/assign_waiting", async (payload, { core }) => {
  const r = await drainQueue(core, { reason: payload.reason ?? "cron" });
  if (r.assigned > 0) core.log.debug({ assigned: r.assigned, reason: payload.reason }, "assigned conversations");
});
