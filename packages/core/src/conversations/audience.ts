import type { EventAudience } from "../events/catalog";

/** Conversation events go to the assigned operator (and staff), or to staff while queued. */
export function conversationAudience(operatorId: string | null): EventAudience {
  return operatorId ? { to: "USER", userId: operatorId } : { to: "STAFF" };
}
