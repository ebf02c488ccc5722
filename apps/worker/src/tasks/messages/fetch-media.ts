import { FETCH_MEDIA_JOB, fetchInboundMedia } from "@elsehu/core";
import { z } from "zod";
import { defineTask } from "../define";

/** Downloads one inbound message's media; its retries and their backoff live in core's fetchInboundMedia. */
export const fetchMediaTask = defineTask(
  FETCH_MEDIA_JOB,
  z.object({ messageId: z.string().uuid(), attempt: z.number().int().min(1).max(100).default(1) }),
  async (payload, { core }) => {
    await fetchInboundMedia(core, payload);
  },
);
