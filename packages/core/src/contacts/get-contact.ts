import { contacts, conversations } from "@elsehu/db";
import { and, desc, eq, sql } from "drizzle-orm";
import { readableBy } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { publicContact } from "./shape";

/**
 * A contact with a summary of its conversations. Staff see every contact; an
 * operator only contacts of conversations he may read (`readableBy`: his own,
 * and the customer's history when it is on), and only those in the summary.
 */
export async function getContact(ctx: Pick<CoreContext, "db">, viewer: Actor, id: string) {
  const mine = readableBy(viewer);
  const [row] = await ctx.db.select().from(contacts).where(eq(contacts.id, id));
  if (!row) {
    if (viewer.role === "OPERATOR")
      throw new DomainError("CONTACT_NOT_YOURS", "You can only read contacts of your conversations");
    throw notFound("Contact");
  }
  const where = and(eq(conversations.contactId, id), mine);
  const recent = await ctx.db
    .select({
      id: conversations.id,
      status: conversations.status,
      instanceId: conversations.instanceId,
      operatorId: conversations.operatorId,
      createdAt: conversations.createdAt,
      lastMessageAt: conversations.lastMessageAt,
      closedAt: conversations.closedAt,
    })
    .from(conversations)
    .where(where)
    .orderBy(desc(conversations.createdAt))
    .limit(10);
  if (viewer.role === "OPERATOR" && recent.length === 0) {
    throw new DomainError("CONTACT_NOT_YOURS", "You can only read contacts of your conversations");
  }
  const counts = await ctx.db
    .select({ status: conversations.status, n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(where)
    .groupBy(conversations.status);
  const byStatus = { WAITING: 0, OPEN: 0, CLOSED: 0, EXPIRED: 0 };
  for (const c of counts) byStatus[c.status] = c.n;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { ...publicContact(row), conversations: { total, byStatus, recent } };
}
