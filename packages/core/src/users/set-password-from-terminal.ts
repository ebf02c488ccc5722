import { sessions, users } from "@elsehu/db";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import { announceSessionsEnded } from "../auth/sessions";
import type { CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";

export const SetPasswordFromTerminalInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(8, "must have at least 8 characters").max(256),
});
export type SetPasswordFromTerminalInput = z.infer<typeof SetPasswordFromTerminalInput>;

/**
 * `pnpm user:set-password <email>`: whoever runs a shell on the server sets a user's password (a lost generated
 * admin password has no other way back). Every session of that user ends; the audit log records it with no actor.
 */
export async function setPasswordFromTerminal(ctx: CoreContext, input: SetPasswordFromTerminalInput) {
  const { email, password } = SetPasswordFromTerminalInput.parse(input);
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: ctx.now() })
      .where(eq(sql`lower(${users.email})`, email))
      .returning({ id: users.id, email: users.email, role: users.role, active: users.active });
    if (!row) throw notFound(`User ${email}`);
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await announceSessionsEnded(tx, row.id, "ALL", "password_reset");
    await recordAudit(tx, {
      actorId: null,
      action: "user.reset_password",
      targetType: "user",
      targetId: row.id,
      data: { via: "terminal" },
    });
    return row;
  });
}
