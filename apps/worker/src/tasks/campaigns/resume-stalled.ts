import { resumeStalledCampaigns } from "@elsehu/core";
import { defineTask } from "../define";

/** Cron safety net: a running campaign whose dispatch tick was lost gets one again. */
export const resumeStalledTask = defineTask("campaigns/resume_stalled", async (_p, { core }) => {
  await resumeStalledCampaigns(core);
});
