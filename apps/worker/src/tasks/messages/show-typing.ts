import { showTyping } from "@elsehu/core";
import { defineTask } from "../define";

/** "typing…" for the customer while the operator writes (rate-limited when queued). */
export const showTypingTask = defineTask("messages/show_typing", async (payload, { core }) => {
  await showTyping(core, payload.conversationId);
});
