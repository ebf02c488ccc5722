import type { PublishInput } from "../events/publish";
import { conversationAudience } from "./audience";
import type { ConversationRow } from "./find-or-open";

export type ConversationEventKind =
  | "conversation.created"
  | "conversation.assigned"
  | "conversation.transferred"
  | "conversation.closed"
  | "conversation.expired"
  | "conversation.reopened"
  | "conversation.tagged"
  /** The customer left the number's menu: chose a department, or fell back to one. */
  | "conversation.routed";

type Snapshot = Pick<ConversationRow, "id" | "status" | "operatorId" | "contactId" | "instanceId"> & {
  departmentId?: string | null;
};

/**
 * Events for a conversation change: one for its (new) operator and staff and,
 * when it left another operator, a copy for him marked `copyFor: "previous"`
 * so he learns it is gone (staff subscriptions skip the copy).
 */
export function conversationEvents(
  kind: ConversationEventKind,
  conv: Snapshot,
  previousOperatorId: string | null = null,
  extra: Record<string, unknown> = {},
): PublishInput[] {
  const payload = {
    conversationId: conv.id,
    status: conv.status,
    operatorId: conv.operatorId,
    previousOperatorId,
    contactId: conv.contactId,
    instanceId: conv.instanceId,
    departmentId: conv.departmentId ?? null,
    ...extra,
  };
  const out: PublishInput[] = [{ kind, audience: conversationAudience(conv.operatorId), payload }];
  if (previousOperatorId && previousOperatorId !== conv.operatorId) {
    out.push({
      kind,
      audience: { to: "USER", userId: previousOperatorId },
      payload: { ...payload, copyFor: "previous" },
    });
  }
  return out;
}
