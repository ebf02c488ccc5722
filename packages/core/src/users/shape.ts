import type { users } from "@elsehu/db";

export type UserRow = typeof users.$inferSelect;

/** The public view of a user: never the password hash. */
export function publicUser(u: UserRow) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    active: u.active,
    maxConcurrent: u.maxConcurrent,
    presence: u.presence,
    pauseReason: u.pauseReason,
    presenceChangedAt: u.presenceChangedAt,
    lastAssignedAt: u.lastAssignedAt,
    createdAt: u.createdAt,
  };
}
export type PublicUser = ReturnType<typeof publicUser>;
