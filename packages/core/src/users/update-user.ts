import { sessions, users } from "@elsehu/db";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import { announceSessionsEnded } from "../auth/sessions";
import { publishEvent } from "../events/publish";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { publicUser } from "./shape";

export const UpdateUserInput = z.object({
  id: z.string().uuid(),
  name: z.string().trim().min(1).max(120).optional(),
  email: z.string().trim().toLowerCase().email().max(254).optional(),
  role: z.enum(["ADMIN", "SUPERVISOR", "OPERATOR"]).optional(),
  active: z.boolean().optional(),
  maxConcurrent: z.number().int().min(1).max(100).optional(),
});
export type UpdateUserInput = z.input<typeof UpdateUserInput>;

/**
 * Updates a user. Deactivating ends his sessions and sockets at once; a role
 * change ends his sockets too (their context was built with the old role).
 * The last active admin can be neither deactivated nor demoted.
 */
export async function updateUser(ctx: CoreContext, actor: Actor, raw: UpdateUserInput) {
  const input = UpdateUserInput.parse(raw);
  try {
    return await ctx.db.transaction(async (tx) => {
      // Lock every active admin row so two concurrent demotions cannot both pass the check.
      await tx.execute(sql`select id from users where role = 'ADMIN' and active for update`);
      const [before] = await tx.select().from(users).where(eq(users.id, input.id)).for("update");
      if (!before) throw notFound("User");
      const losesAdmin =
        before.role === "ADMIN" &&
        before.active &&
        ((input.role !== undefined && input.role !== "ADMIN") || input.active === false);
      if (losesAdmin) {
        const [other] = await tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.role, "ADMIN"), eq(users.active, true), ne(users.id, before.id)))
          .limit(1);
        if (!other) throw new DomainError("LAST_ADMIN", "The last active admin cannot be deactivated or demoted");
      }
      const { id, ...changes } = input;
      const [after] = await tx
        .update(users)
        .set({ ...changes, updatedAt: ctx.now() })
        .where(eq(users.id, id))
        .returning();
      if (!after) throw notFound("User");
      const cutOff = (input.active === false && before.active) || (input.role && input.role !== before.role);
      if (input.active === false && before.active) {
        await tx.delete(sessions).where(eq(sessions.userId, id));
      }
      if (cutOff) await announceSessionsEnded(tx, id, "ALL", input.active === false ? "deactivated" : "role_changed");
      await publishEvent(tx, { kind: "user.updated", audience: { to: "STAFF" }, payload: { userId: id } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: "user.update",
        targetType: "user",
        targetId: id,
        data: { changes },
      });
      return publicUser(after);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new DomainError("EMAIL_TAKEN", `A user with email ${input.email} already exists`, { field: "email" });
    throw err;
  }
}

export const ResetPasswordInput = z.object({ id: z.string().uuid(), password: z.string().min(8).max(256) });
export type ResetPasswordInput = z.infer<typeof ResetPasswordInput>;

/** Admin sets a new password; all of the user's sessions end. */
export async function resetPassword(ctx: CoreContext, actor: Actor, input: ResetPasswordInput) {
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: ctx.now() })
      .where(eq(users.id, input.id))
      .returning({ id: users.id });
    if (!row) throw notFound("User");
    await tx.delete(sessions).where(eq(sessions.userId, input.id));
    await announceSessionsEnded(tx, input.id, "ALL", "password_reset");
    await recordAudit(tx, { actorId: actor.id, action: "user.reset_password", targetType: "user", targetId: input.id });
  });
}
