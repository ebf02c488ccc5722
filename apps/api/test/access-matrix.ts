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
  "instances.list": "admin",
  "instances.get": "admin",
  "instances.create": "admin",
  "instances.update": "admin",
  "instances.delete": "admin",
  "instances.connect": "admin",
  "instances.connectionState": "admin",
  "instances.logout": "admin",
  "messages.send": "user",
  "messages.sendMedia": "user",
};
