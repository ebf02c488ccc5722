import { markReadAtProvider } from "@elsehu/core";
import { defineTask } from "../define";

/** Blue ticks at the provider for the customer's messages the operator has just read. */
export const markReadTask = defineTask("messages/mark_read", async (payload, { core }) => {
  await markReadAtProvider(core, payload.conversationId);
});
