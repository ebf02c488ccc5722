/**
 * The access level of every tRPC procedure. The role-matrix test fails when a
 * procedure exists without an entry here, so no procedure ships unreviewed.
 *   public: anyone; user: any signed-in role; staff: SUPERVISOR and ADMIN; admin: ADMIN only.
 */
export const ACCESS: Record<string, "public" | "user" | "staff" | "admin"> = {
  "auth.login": "public",
  "auth.logout": "user",
  "auth.me": "user",
  "auth.sessions": "user",
  "auth.revokeSession": "user",
  "auth.changePassword": "user",
  "auth.onSessionEnded": "user",
  "users.list": "user",
  "users.get": "user",
  "users.create": "admin",
  "users.update": "admin",
  "users.resetPassword": "admin",
  // Operators get their own numbers only (enforced in core).
  "reports.definitions": "user",
  "reports.finished": "user",
  "reports.summary": "user",
  "reports.byOperator": "user",
  "reports.byTabulation": "user",
  // Operators act on their own conversations only (enforced in core, walked by the isolation test).
  "conversations.list": "user",
  "conversations.get": "user",
  "conversations.queue": "staff",
  "conversations.mine": "user",
  "conversations.unreadCounts": "user",
  "conversations.markRead": "user",
  "conversations.transfer": "user",
  "conversations.close": "user",
  "conversations.reopen": "staff",
  "events.onConversation": "user",
  "events.onMessage": "user",
  "events.onQueue": "user",
  "events.onPresence": "user",
  "messages.list": "user",
  "presence.setStatus": "user",
  "presence.me": "user",
  "presence.board": "staff",
  "tabulations.list": "user",
  "tabulations.create": "admin",
  "tabulations.rename": "admin",
  "tabulations.setActive": "admin",
  "tabulations.remove": "admin",
};
