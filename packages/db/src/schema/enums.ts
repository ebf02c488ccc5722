import { pgEnum } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["ADMIN", "SUPERVISOR", "OPERATOR"]);
export const presenceStatus = pgEnum("presence_status", ["OFFLINE", "ONLINE", "PAUSED"]);
export const providerKind = pgEnum("provider_kind", ["META", "EVOLUTION"]);
export const conversationStatus = pgEnum("conversation_status", ["WAITING", "OPEN", "CLOSED", "EXPIRED"]);
export const messageDirection = pgEnum("message_direction", ["IN", "OUT"]);
export const messageStatus = pgEnum("message_status", ["QUEUED", "SENT", "DELIVERED", "READ", "FAILED"]);
export const campaignStatus = pgEnum("campaign_status", [
  "DRAFT",
  "SCHEDULED",
  "RUNNING",
  "PAUSED",
  "COMPLETED",
  "CANCELLED",
]);
/**
 * Recipient lifecycle. SENDING is written (and committed) before the provider call;
 * a SENDING row found by a later worker means the previous one died during the call,
 * so it becomes UNKNOWN and is never retried automatically.
 */
export const recipientStatus = pgEnum("recipient_status", [
  "PENDING",
  "SENDING",
  "SENT",
  "DELIVERED",
  "READ",
  "FAILED",
  "SKIPPED",
  "UNKNOWN",
]);
export const importStatus = pgEnum("import_status", ["PENDING", "RUNNING", "COMPLETED", "FAILED"]);
