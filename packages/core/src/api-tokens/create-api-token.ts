import { randomBytes } from "node:crypto";
import { apiTokens } from "@elsehu/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { sessionIdOf } from "../auth/token";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { API_SCOPES, API_TOKEN_PREFIX } from "./scopes";
import { publicApiToken } from "./shape";

export const CreateApiTokenInput = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z
    .array(z.enum(API_SCOPES))
    .min(1)
    .max(API_SCOPES.length)
    .transform((s) => [...new Set(s)]),
  /** Optional end of validity; must be in the future. */
  expiresAt: z.coerce.date().nullish(),
});
export type CreateApiTokenInput = z.input<typeof CreateApiTokenInput>;

/**
 * Creates a public API token owned by `actor` (an admin). The token is
 * returned once and only its SHA-256 is stored.
 */
export async function createApiToken(ctx: CoreContext, actor: Actor, raw: CreateApiTokenInput) {
  const input = CreateApiTokenInput.parse(raw);
  if (input.expiresAt && input.expiresAt.getTime() <= ctx.now().getTime()) {
    throw new DomainError("API_TOKEN_EXPIRY_PAST", "expiresAt: must be in the future", { field: "expiresAt" });
  }
  const token = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        tokenHash: sessionIdOf(token),
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 4),
        scopes: input.scopes,
        ownerId: actor.id,
        expiresAt: input.expiresAt ?? null,
        createdAt: ctx.now(),
      })
      .returning();
    if (!row) throw bug("api token insert returned nothing");
    await recordAudit(tx, {
      actorId: actor.id,
      action: "api_token.create",
      targetType: "api_token",
      targetId: row.id,
      data: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { token, apiToken: publicApiToken(row, ctx.now()) };
  });
}
