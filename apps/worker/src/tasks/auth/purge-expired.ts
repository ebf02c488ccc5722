import { purgeExpired } from "@elsehu/core";
import { defineTask } from "../define";

export const purgeExpiredTask = defineTask("auth/purge_expired", async (_p, { core }) => {
  const result = await purgeExpired(core);
  core.log.info(result, "purged expired sessions");
});
