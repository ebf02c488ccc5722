import type { Actor } from "../shared/context";
import type { StoredEvent } from "./catalog";

/**
 * Whether `viewer` may receive `event`. The single rule every subscription goes
 * through. Conversation and message events are addressed to the conversation's
 * operator (USER) or staff: an operator reading a customer's history
 * (`conversations/access.ts`) reads it through queries, never through events.
 */
export function canSee(viewer: Actor, event: StoredEvent): boolean {
  if (event.audience === "ALL") return true;
  if (event.audience === "ADMIN") return viewer.role === "ADMIN";
  if (viewer.role === "ADMIN" || viewer.role === "SUPERVISOR") return true;
  return event.audience === "USER" && event.userId === viewer.id;
}
