import { routeMenuTimeouts } from "@elsehu/core";
import { defineTask } from "../define";

/** Cron: menus left unanswered for the number's timeout go to its fallback department. */
export const routeTimeoutsTask = defineTask("conversations/route_timeouts", async (_p, { core }) => {
  const n = await routeMenuTimeouts(core);
  if (n > 0) core.log.info({ routed: n }, "menus timed out to their fallback department");
});
