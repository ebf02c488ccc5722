import { expireIdleConversations } from "@elsehu/core";
import { defineTask } from "../define";

/** Cron: ends conversations without an inbound message for CONVERSATION_TTL. */
export const expireIdleTask = defineTask("conversations/expire_idle", async (_p, { core }) => {
  const n = await expireIdleConversations(core);
  if (n > 0) core.log.info({ expired: n }, "expired idle conversations");
});
