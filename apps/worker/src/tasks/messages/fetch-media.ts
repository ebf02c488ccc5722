import { fetchInboundMedia } from "@elsehu/core";
import { defineTask } from "../define";

/** Downloads one inbound message's media; its retries and their backoff live in core's fetchInboundMedia. */
export const fetchMediaTask = defineTask("messages/fetch_media", async (payload, { core }) => {
  await fetchInboundMedia(core, payload);
});
