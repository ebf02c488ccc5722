import { apiTokens } from "@elsehu/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { publicApiToken } from "./shape";

/** Revokes a token at once (the next call with it is refused); revoking twice is a no-op. */
export async function revokeApiToken(ctx: CoreContext, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.now() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id));
      if (!existing) throw notFound("API token");
      return publicApiToken(existing, ctx.now());
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: "api_token.revoke",
      targetType: "api_token",
      targetId: row.id,
      data: { name: row.name },
    });
    return publicApiToken(row, ctx.now());
  });
}
