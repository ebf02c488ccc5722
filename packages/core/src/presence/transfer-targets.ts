import { conversations, departmentMembers, users } from "@elsehu/db";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import type { Actor, CoreContext } from "../shared/context";

/**
 * The colleagues an operator may hand a conversation to: active OPERATORs who
 * are ONLINE now, himself excluded, each with whether he has room and his
 * departments (a transfer to a department and an operator needs him to be its
 * member). Only names and ids: an operator does not get the presence board's
 * pause reasons, loads or socket counts.
 */
export async function transferTargets(ctx: Pick<CoreContext, "db">, viewer: Actor) {
  const open = ctx.db
    .select({ operatorId: conversations.operatorId, n: count().as("n") })
    .from(conversations)
    .where(eq(conversations.status, "OPEN"))
    .groupBy(conversations.operatorId)
    .as("open");
  const rows = await ctx.db
    .select({
      id: users.id,
      name: users.name,
      maxConcurrent: users.maxConcurrent,
      openCount: sql<number>`coalesce(${open.n}, 0)::int`,
      departmentIds: sql<
        string[]
      >`coalesce((select array_agg(${departmentMembers.departmentId}) from ${departmentMembers}
        where ${departmentMembers.userId} = ${users.id} and ${departmentMembers.role} = 'OPERATOR'), '{}')`,
    })
    .from(users)
    .leftJoin(open, eq(open.operatorId, users.id))
    .where(
      and(eq(users.role, "OPERATOR"), eq(users.active, true), eq(users.presence, "ONLINE"), ne(users.id, viewer.id)),
    )
    .orderBy(asc(users.name))
    .limit(200);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    hasRoom: r.openCount < r.maxConcurrent,
    departmentIds: r.departmentIds,
  }));
}
