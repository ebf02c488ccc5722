import { deliverMessages } from "@elsehu/core";
import { defineTask } from "../define";

/** Sends automatic messages queued together (a burst's menus) a few at a time; see core's deliverMessages. */
export const sendBatchTask = defineTask("messages/send_batch", async (payload, { core }) => {
  await deliverMessages(core, payload.messageIds);
});
