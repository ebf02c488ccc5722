import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { queueOutbound } from "./queue-message";

export const SendLocationInput = z.object({
  conversationId: z.string().uuid(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().trim().max(200).optional(),
  address: z.string().trim().max(500).optional(),
  replyToId: z.string().uuid().optional(),
});
export type SendLocationInput = z.infer<typeof SendLocationInput>;

/** A map pin (with an optional place name and address), queued like any outbound message. */
export async function queueLocationMessage(ctx: CoreContext, actor: Actor, raw: SendLocationInput) {
  const input = SendLocationInput.parse(raw);
  const location: Record<string, unknown> = { latitude: input.latitude, longitude: input.longitude };
  if (input.name) location.name = input.name;
  if (input.address) location.address = input.address;
  return queueOutbound(ctx, actor, input.conversationId, {
    type: "location",
    body: input.name || null,
    media: null,
    replyToId: input.replyToId,
    content: { location },
  });
}
