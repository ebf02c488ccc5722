import { contacts, conversations, users } from "@elsehu/db";
import type { ConversationRow } from "./find-or-open";

/** Columns selected with every conversation read: the row, its contact and operator name. */
export const conversationColumns = {
  conversation: conversations,
  contactName: contacts.name,
  contactPhone: contacts.phone,
  contactTags: contacts.tags,
  operatorName: users.name,
};

export type ConversationJoined = {
  conversation: ConversationRow;
  contactName: string | null;
  contactPhone: string | null;
  contactTags: string[];
  operatorName: string | null;
};

export function shapeConversation(r: ConversationJoined) {
  const c = r.conversation;
  return {
    id: c.id,
    /** Human protocol number, AAAAMMDD-NNNNNN. */
    protocol: c.protocol,
    status: c.status,
    tags: c.tags,
    contact: { id: c.contactId, name: r.contactName, phone: r.contactPhone, tags: r.contactTags },
    instanceId: c.instanceId,
    operatorId: c.operatorId,
    operatorName: r.operatorName,
    tabulationId: c.tabulationId,
    closeNote: c.closeNote,
    campaignId: c.campaignId,
    departmentId: c.departmentId,
    routingState: c.routingState,
    csatScore: c.csatScore,
    /** The click-to-WhatsApp ad the customer came from, shown in the chat header. */
    referral: c.referral,
    unreadCount: c.unreadCount,
    createdAt: c.createdAt,
    queuedAt: c.queuedAt,
    firstAssignedAt: c.firstAssignedAt,
    assignedAt: c.assignedAt,
    firstResponseAt: c.firstResponseAt,
    lastInboundAt: c.lastInboundAt,
    lastMessageAt: c.lastMessageAt,
    closedAt: c.closedAt,
    closedById: c.closedById,
  };
}
export type ConversationView = ReturnType<typeof shapeConversation>;
