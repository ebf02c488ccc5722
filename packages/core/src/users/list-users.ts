import { users } from "@elsehu/db";
import { and, asc, eq, gt, ilike, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { notFound } from "../shared/errors";
import { containsPattern } from "../shared/like";
import { publicUser } from "./shape";

export const ListUsersInput = z.object({
  search: z.string().trim().max(100).optional(),
  role: z.enum(["ADMIN", "SUPERVISOR", "OPERATOR"]).optional(),
  active: z.boolean().optional(),
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListUsersInput = z.input<typeof ListUsersInput>;

/** Users ordered by id; `nextCursor` is the last id of the page when more may follow. */
export async function listUsers(ctx: Pick<CoreContext, "db">, raw: ListUsersInput) {
  const input = ListUsersInput.parse(raw);
  const where: SQL[] = [];
  if (input.search) {
    const q = containsPattern(input.search);
    const match = or(ilike(users.name, q), ilike(users.email, q));
    if (match) where.push(match);
  }
  if (input.role) where.push(eq(users.role, input.role));
  if (input.active !== undefined) where.push(eq(users.active, input.active));
  if (input.cursor) where.push(gt(users.id, input.cursor));
  const rows = await ctx.db
    .select()
    .from(users)
    .where(and(...where))
    .orderBy(asc(users.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicUser),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

export async function getUser(ctx: Pick<CoreContext, "db">, id: string) {
  const [row] = await ctx.db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound("User");
  return publicUser(row);
}
