import { SYNC_TEMPLATES_JOB, syncMetaTemplates } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/** Pulls the WhatsApp Business Account's templates of one Meta number (or all of them, hourly). */
export const syncMetaTemplatesTask = defineTask(
  SYNC_TEMPLATES_JOB,
  z.object({ instanceId: z.string().uuid().optional() }),
  async (payload, { core }) => {
    await syncMetaTemplates(core, payload.instanceId);
  },
);
