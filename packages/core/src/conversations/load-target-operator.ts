import { conversations, users } from "@elsehu/db";
import { and, count, eq, sql } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { DomainError } from "../shared/errors";
import { ASSIGNMENT_LOCK } from "./request-assignment";

/**
 * Takes the assignment lock and row-locks the operator a conversation is being
 * handed to, checking he is an active operator (online, if `mustBeOnline`) with
 * room for one more unless `force`.
 */
export async function lockTargetOperator(
  tx: Tx,
  operatorId: string,
  opts: { force: boolean; mustBeOnline: boolean },
): Promise<{ id: string; name: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK})`);
  const [op] = await tx.select().from(users).where(eq(users.id, operatorId)).for("update");
  if (op?.role !== "OPERATOR" || !op.active) {
    throw new DomainError("OPERATOR_NOT_ACTIVE", "operatorId: not an active operator", { field: "operatorId" });
  }
  if (opts.mustBeOnline && op.presence !== "ONLINE") {
    throw new DomainError("OPERATOR_OFFLINE", `${op.name} is not online`, { operator: op.name });
  }
  if (!opts.force) {
    const [row] = await tx
      .select({ n: count() })
      .from(conversations)
      .where(and(eq(conversations.operatorId, op.id), eq(conversations.status, "OPEN")));
    if ((row?.n ?? 0) >= op.maxConcurrent) {
      throw new DomainError("OPERATOR_AT_CAPACITY", `${op.name} is at capacity (${op.maxConcurrent} conversations)`, {
        capacity: op.maxConcurrent,
      });
    }
  }
  return { id: op.id, name: op.name };
}
