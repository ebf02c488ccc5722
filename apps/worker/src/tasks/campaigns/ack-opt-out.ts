import { ackOptOut } from "@elsehu/core";
import { defineTask } from "../define";

export const ackOptOutTask = defineTask("campaigns/ack_opt_out", async (payload, { core }) => {
  const id = await ackOptOut(core, payload);
  core.log.info({ contactId: payload.contactId, providerMessageId: id }, "opt-out acknowledged");
});
