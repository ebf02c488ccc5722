import { ACK_OPT_OUT_JOB, ackOptOut } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

export const ackOptOutTask = defineTask(
  ACK_OPT_OUT_JOB,
  z.object({ contactId: z.string().uuid(), instanceId: z.string().uuid() }),
  async (payload, { core }) => {
    const id = await ackOptOut(core, payload);
    core.log.info({ contactId: payload.contactId, providerMessageId: id }, "opt-out acknowledged");
  },
);
