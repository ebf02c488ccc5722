import { DELIVER_LANE_JOB, DeliverLaneInput, deliverLane } from "@elsehu/core";
import { defineTask } from "../define";

/** Sends one lane of an outbound webhook endpoint in order; retries and backoff live in core's deliverLane. */
export const deliverLaneTask = defineTask(DELIVER_LANE_JOB, DeliverLaneInput, async (payload, { core }) => {
  await deliverLane(core, payload);
});
