import { MARK_READ_JOB, markReadAtProvider } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/** Blue ticks at the provider for the customer's messages the operator has just read. */
export const markReadTask = defineTask(
  MARK_READ_JOB,
  z.object({ conversationId: z.string().uuid() }),
  async (payload, { core }) => {
    await markReadAtProvider(core, payload.conversationId);
  },
);
