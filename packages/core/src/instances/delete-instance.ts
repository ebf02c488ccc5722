import { conversations, serviceInstances, webhookEvents } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { isForeignKeyViolation } from "../shared/pg";

/**
 * Deletes an instance that never carried a conversation. One with history is
 * deactivated instead (update active=false), so reports keep their data.
 */
export async function deleteInstance(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await ctx.db
    .transaction(async (tx) => {
      const [used] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.instanceId, id))
        .limit(1);
      if (used) {
        throw new DomainError("INSTANCE_HAS_CONVERSATIONS", "This instance has conversations: deactivate it instead");
      }
      // Raw webhook bodies are audit data of this instance only.
      await tx.delete(webhookEvents).where(eq(webhookEvents.instanceId, id));
      const [row] = await tx.delete(serviceInstances).where(eq(serviceInstances.id, id)).returning();
      if (!row) throw notFound("Instance");
      await recordAudit(tx, {
        actorId: actor.id,
        action: "instance.delete",
        targetType: "service_instance",
        targetId: id,
        data: { name: row.name },
      });
    })
    .catch((err: unknown) => {
      if (isForeignKeyViolation(err)) {
        throw new DomainError(
          "INSTANCE_IN_USE",
          "This instance is used by campaigns or templates: deactivate it instead",
        );
      }
      throw err;
    });
}
