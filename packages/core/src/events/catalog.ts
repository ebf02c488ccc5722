import type { CampaignStats } from "../campaigns/campaign-stats";
import type { MenuOutcome } from "../routing/route-to-department";

/**
 * The event catalog: every event kind and the payload it carries. Publishers
 * (`publishEvent`, `publishEvents`), the realtime hub, the subscriptions and, by
 * type import, the console all read payloads through this one map, so renaming
 * a field here fails the typecheck wherever it is read.
 * Payloads stay small (ids, states, counters): NOTIFY carries only the id, but
 * every socket gets the payload.
 */
export type EventPayloads = {
  /** A customer's new conversation, waiting in the queue (staff). */
  "conversation.created": {
    conversationId: string;
    status: ConversationStatus;
    departmentId: string | null;
    /** "MENU" while the customer answers the number's menu (not queued yet). */
    routingState: "MENU" | null;
  };
  /** Given to an operator by assignment, or taken from the queue by a transfer. */
  "conversation.assigned": ConversationChange & Partial<TransferNote>;
  /** Handed from one operator to another or back to the queue. */
  "conversation.transferred": ConversationChange & TransferNote;
  /** `outOfHours`: closed on arrival, its department being closed (auto-reply sent). */
  "conversation.closed": ConversationChange & { tabulationId: string; outOfHours?: true };
  "conversation.expired": ConversationChange;
  "conversation.reopened": ConversationChange & { byUserId: string };
  /** Its tags changed (the whole new list). */
  "conversation.tagged": ConversationChange & { tags: string[] };
  /** The customer left the number's menu: chose a department, or fell back to one. */
  "conversation.routed": ConversationChange & { outcome: MenuOutcome };
  /** The customer answered the satisfaction question of the closed conversation (1–5). */
  "conversation.rated": ConversationChange & { csatScore: number };

  "message.created": MessageRef & { direction: "IN" | "OUT" };
  "message.status": MessageRef & { status: MessageStatus };
  /** An existing message changed: the console reloads it (deleted content is not in the event). */
  "message.updated": MessageRef & { change: MessageChange };

  /** Numbers only: every user may follow the queues' sizes. */
  "queue.changed": { waiting: number; byDepartment: Record<string, number> };
  "presence.changed": {
    userId: string;
    presence: PresenceState;
    pauseReason: string | null;
    /** ISO time. */
    changedAt: string;
  };
  /** Connection state or QR change of a WhatsApp number (staff). */
  "instance.status": { instanceId: string; connectionStatus: string; hasQr: boolean };
  /** A campaign's counters (staff), exactly `campaigns.stats` with the end time as ISO text. */
  "campaign.progress": CampaignProgress;
  "import.progress": {
    importId: string;
    status: "PENDING" | "RUNNING" | "COMPLETED" | "FAILED";
    rowsRead: number;
    imported: number;
    updated: number;
    invalid: number;
    totalRows: number | null;
    /** Why a FAILED import stopped. */
    error?: string;
  };
  /** These sessions (or all the user's) are over: his sockets close, caches forget them. */
  "session.ended": { userId: string; sessionIds: string[] | "ALL"; reason: string };
  /** A user's role, state or capacity changed: cached sessions of his are reloaded. */
  "user.updated": { userId: string };
};

export type EventKind = keyof EventPayloads;

export type ConversationStatus = "WAITING" | "OPEN" | "CLOSED" | "EXPIRED";
export type PresenceState = "OFFLINE" | "ONLINE" | "PAUSED";
export type MessageStatus = "QUEUED" | "SENT" | "DELIVERED" | "READ" | "FAILED";
export type MessageChange = "media" | "reaction" | "edit" | "delete";

/** Who may receive an event (`canSee`). */
export type EventAudience =
  /** Every authenticated user. */
  | { to: "ALL" }
  /** Supervisors and admins. */
  | { to: "STAFF" }
  /** One user, plus supervisors and admins. */
  | { to: "USER"; userId: string };

/** Where a conversation stands after a change, for its (new) operator and staff. */
export type ConversationChange = {
  conversationId: string;
  status: ConversationStatus;
  operatorId: string | null;
  previousOperatorId: string | null;
  contactId: string;
  instanceId: string;
  departmentId: string | null;
  /** The copy sent to the operator the conversation left (staff subscriptions skip it). */
  copyFor?: "previous";
};

/** `byName`: who handed it over, so the receiver's notification can say it (events of older versions lack it). */
export type TransferNote = { byUserId: string; byName?: string; fromDepartmentId: string | null; note: string | null };

type MessageRef = { messageId: string; conversationId: string; operatorId: string | null };

export type CampaignProgress = Omit<CampaignStats, "estimatedEndAt"> & { estimatedEndAt: string | null };

type Distribute<F> = { [P in EventKind]: F & { kind: P; payload: EventPayloads[P] } }[EventKind];

/** An event to publish: a kind of the catalog with its payload, and its audience. */
export type PublishInput<K extends EventKind = EventKind> = Extract<
  Distribute<{ audience: EventAudience }>,
  { kind: K }
>;

/** An event as stored in `events` and delivered by the realtime hub. */
export type StoredEvent<K extends EventKind = EventKind> = Extract<
  Distribute<{ id: number; audience: EventAudience["to"]; userId: string | null; createdAt: Date }>,
  { kind: K }
>;

/** An event as a subscription sends it to the console (`events.*`). */
export type LiveEvent<K extends EventKind = EventKind> = Extract<Distribute<{ id: number; at: string }>, { kind: K }>;

/** First item of an `events.*` subscription without `lastEventId`: only the position to resume from. */
export type SyncMark = { id: number; kind: "sync"; payload: Record<string, never>; at: string };

/** Kinds whose name starts with `P` ("conversation.", "message."). */
export type KindsOf<P extends string> = Extract<EventKind, `${P}${string}`>;

/** Type guard for a stream filter: the event is one of `kinds`. */
export function isKind<K extends EventKind>(...kinds: K[]): (e: StoredEvent) => e is StoredEvent<K> {
  const set = new Set<EventKind>(kinds);
  return (e): e is StoredEvent<K> => set.has(e.kind);
}

/** Type guard for a stream filter: the event's kind starts with `prefix`. */
export function hasKindPrefix<P extends string>(prefix: P): (e: StoredEvent) => e is StoredEvent<KindsOf<P>> {
  return (e): e is StoredEvent<KindsOf<P>> => e.kind.startsWith(prefix);
}
