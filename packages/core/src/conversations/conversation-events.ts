import type { ConversationChange, EventPayloads, KindsOf, PublishInput } from "../events/catalog";
import { conversationAudience } from "./audience";
import type { ConversationRow } from "./find-or-open";

/** The kinds that carry a `ConversationChange` (every conversation kind but `created`). */
export type ConversationEventKind = Exclude<KindsOf<"conversation.">, "conversation.created">;

type Snapshot = Pick<ConversationRow, "id" | "status" | "operatorId" | "contactId" | "instanceId"> & {
  departmentId?: string | null;
};

/** What a kind carries beyond the `ConversationChange` (tabulation, who transferred...). */
type Extra<K extends ConversationEventKind> = Omit<EventPayloads[K], keyof ConversationChange>;

/**
 * Events for a conversation change: one for its (new) operator and staff and,
 * when it left another operator, a copy for him marked `copyFor: "previous"`
 * so he learns it is gone (staff subscriptions skip the copy).
 */
export function conversationEvents<K extends ConversationEventKind>(
  kind: K,
  conv: Snapshot,
  previousOperatorId: string | null = null,
  ...[extra]: object extends Extra<K> ? [Extra<K>?] : [Extra<K>]
): PublishInput<K>[] {
  const change: ConversationChange = {
    conversationId: conv.id,
    status: conv.status,
    operatorId: conv.operatorId,
    previousOperatorId,
    contactId: conv.contactId,
    instanceId: conv.instanceId,
    departmentId: conv.departmentId ?? null,
  };
  // `ConversationChange & Extra<K>` is `EventPayloads[K]`; TypeScript cannot see it for a generic K.
  const payload = { ...change, ...extra } as EventPayloads[K];
  const event = (audience: PublishInput["audience"], p: EventPayloads[K]) =>
    ({ kind, audience, payload: p }) as PublishInput<K>;
  const out = [event(conversationAudience(conv.operatorId), payload)];
  if (previousOperatorId && previousOperatorId !== conv.operatorId) {
    out.push(event({ to: "USER", userId: previousOperatorId }, { ...payload, copyFor: "previous" }));
  }
  return out;
}
