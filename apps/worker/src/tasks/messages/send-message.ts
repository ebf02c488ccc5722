import { deliverMessage } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/** Sends one QUEUED message; retries and crash semantics live in core's deliverMessage. */
export const sendMessageTask = defineTask(
  "messages/send_message",
  z.object({ messageId: z.string().uuid() }),
  async (payload, { core }) => {
    await deliverMessage(core, payload.messageId);
  },
);
