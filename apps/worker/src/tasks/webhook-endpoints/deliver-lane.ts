import { DELIVER_LANE_JOB, deliverLane } from "@elsehu/core";
import { defineTask } from "../define";

/** Sends one lane of an outbound webhook endpoint in order; retries and backoff live in core's deliverLane. */
export const deliverLaneTask = defineTask(DELIVER_LANE_JOB, async (payload, { core }) => {
  await deliverLane(core, payload);
});
