import { apiTokens, users } from "@elsehu/db";
import { desc, eq } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { publicApiToken } from "./shape";

/** Every token, newest first, with its owner's name (admins only: see the router). */
export async function listApiTokens(ctx: Pick<CoreContext, "db" | "now">) {
  const rows = await ctx.db
    .select({ token: apiTokens, ownerName: users.name })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.ownerId))
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
  const now = ctx.now();
  return rows.map((r) => ({ ...publicApiToken(r.token, now), ownerName: r.ownerName }));
}
