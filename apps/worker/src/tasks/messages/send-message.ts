import { deliverMessage } from "@elsehu/core";
import { defineTask } from "../define";

/** Sends one QUEUED message; retries and crash semantics live in core's deliverMessage. */
export const sendMessageTask = defineTask("messages/send_message", async (payload, { core }) => {
  await deliverMessage(core, payload.messageId);
});
