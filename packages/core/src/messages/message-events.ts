import { conversationAudience } from "../conversations/audience";
import type { EventPayloads } from "../events/catalog";
import { publishEvent } from "../events/publish";
import type { Tx } from "../shared/context";

/** `message.created`: to the conversation's operator (and staff), or staff while queued. */
export function publishMessageCreated(tx: Tx, m: EventPayloads["message.created"]) {
  return publishEvent(tx, { kind: "message.created", audience: conversationAudience(m.operatorId), payload: m });
}

export function publishMessageStatus(tx: Tx, m: EventPayloads["message.status"]) {
  return publishEvent(tx, { kind: "message.status", audience: conversationAudience(m.operatorId), payload: m });
}

/**
 * `message.updated`: an existing message changed (its media arrived or failed, the customer
 * reacted, edited or deleted it). The console reloads it; deleted content is not in the event.
 */
export function publishMessageUpdated(tx: Tx, m: EventPayloads["message.updated"]) {
  return publishEvent(tx, { kind: "message.updated", audience: conversationAudience(m.operatorId), payload: m });
}

/** Thrown when an event refers to a send whose provider id is not saved yet: the job retries later. */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}
