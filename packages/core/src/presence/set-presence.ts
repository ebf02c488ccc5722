import { presenceConnections, users } from "@elsehu/db";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { requestAssignment } from "../conversations/request-assignment";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { publishPresenceChanges } from "./presence-events";

export const SetPresenceInput = z
  .object({
    status: z.enum(["ONLINE", "PAUSED"]),
    /** Why (lunch, training...): required when pausing. */
    reason: z.string().trim().min(1).max(120).optional(),
  })
  .refine((v) => v.status !== "PAUSED" || v.reason, { message: "reason: required when pausing", path: ["reason"] });
export type SetPresenceInput = z.input<typeof SetPresenceInput>;

/**
 * A user pauses (no new assignments; current ones stay his) or comes back.
 * Only a connected user can: presence follows the sockets.
 */
export async function setPresence(ctx: CoreContext, actor: Actor, raw: SetPresenceInput) {
  const input = SetPresenceInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [me] = await tx.select().from(users).where(eq(users.id, actor.id)).for("update");
    if (!me) throw notFound("User");
    const [conn] = await tx
      .select({ id: presenceConnections.id })
      .from(presenceConnections)
      .where(eq(presenceConnections.userId, actor.id))
      .limit(1);
    if (!conn || me.presence === "OFFLINE") {
      throw new DomainError("CONSOLE_NOT_CONNECTED", "Connect to the console before changing your status");
    }
    const reason = input.status === "PAUSED" ? (input.reason ?? null) : null;
    if (me.presence === input.status && me.pauseReason === reason)
      return { presence: me.presence, pauseReason: reason };
    const [after] = await tx
      .update(users)
      .set({ presence: input.status, pauseReason: reason, presenceChangedAt: sql`now()` })
      .where(eq(users.id, actor.id))
      .returning();
    if (!after) throw bug("user vanished");
    await publishPresenceChanges(tx, [
      {
        id: after.id,
        presence: after.presence,
        pause_reason: after.pauseReason,
        presence_changed_at: after.presenceChangedAt,
      },
    ]);
    if (input.status === "ONLINE" && me.presence === "PAUSED") await requestAssignment(tx, "unpaused");
    return { presence: after.presence, pauseReason: after.pauseReason };
  });
}
