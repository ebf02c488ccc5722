import { showTyping, TYPING_JOB } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/** "typing…" for the customer while the operator writes (rate-limited when queued). */
export const showTypingTask = defineTask(
  TYPING_JOB,
  z.object({ conversationId: z.string().uuid() }),
  async (payload, { core }) => {
    await showTyping(core, payload.conversationId);
  },
);
