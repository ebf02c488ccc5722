import { sql } from "drizzle-orm";
import { z } from "zod";
import { publishEvents } from "../events/publish-many";
import type { CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { conversationEvents } from "./conversation-events";
import { ASSIGNMENT_LOCK } from "./request-assignment";

export const AssignWaitingInput = z.object({
  limit: z.number().int().min(1).max(5000).default(500),
  /** Wait for the assignment lock instead of giving up when another run holds it. */
  wait: z.boolean().default(false),
});
export type AssignWaitingInput = z.input<typeof AssignWaitingInput>;

export type AssignWaitingResult = {
  /** False when another run held the lock; the caller must retry later. */
  locked: boolean;
  assigned: Array<{ conversationId: string; operatorId: string }>;
  /** The batch was full: more waiting conversations may be assignable now. */
  more: boolean;
};

type Candidate = { id: string; open: number; max: number; lastAssignedAt: number };

/**
 * Assigns waiting conversations, oldest first, to online active operators below
 * capacity: fewest open conversations first, then the one idle the longest.
 *
 * Invariants, under any number of concurrent runs and processes: the advisory
 * lock serialises every verb that adds to an operator's load (this one,
 * transfers, reopen), so counts read here stay true until commit; the chosen
 * operators' rows are locked, so a pause or logoff committed before is seen and
 * one committed after happens-after the assignment; `status = 'WAITING'` is
 * re-checked on update, so nothing is assigned twice.
 */
export async function assignWaiting(ctx: CoreContext, raw: AssignWaitingInput = {}): Promise<AssignWaitingResult> {
  const input = AssignWaitingInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    if (input.wait) {
      await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK})`);
    } else {
      const [got] = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${ASSIGNMENT_LOCK}) as ok`);
      if (!got?.ok) return { locked: false, assigned: [], more: false };
    }
    const none = { locked: true, assigned: [], more: false };
    const ops = await tx.execute<{ id: string; max_concurrent: number; last_assigned_at: Date | string | null }>(sql`
      select id, max_concurrent, last_assigned_at from users
      where role = 'OPERATOR' and active and presence = 'ONLINE'
      order by id for update`);
    if (ops.length === 0) return none;
    const counts = await tx.execute<{ operator_id: string; n: number }>(sql`
      select operator_id, count(*)::int as n from conversations
      where status = 'OPEN' and operator_id = any(${uuidArray(ops.map((o) => o.id))}::uuid[])
      group by operator_id`);
    const open = new Map(counts.map((c) => [c.operator_id, c.n]));
    const candidates: Candidate[] = ops
      .map((o) => ({
        id: o.id,
        open: open.get(o.id) ?? 0,
        max: o.max_concurrent,
        lastAssignedAt: o.last_assigned_at ? new Date(o.last_assigned_at).getTime() : Number.NEGATIVE_INFINITY,
      }))
      .filter((c) => c.open < c.max);
    const free = candidates.reduce((s, c) => s + (c.max - c.open), 0);
    const take = Math.min(free, input.limit);
    if (take === 0) return none;
    const waiting = await tx.execute<{ id: string }>(sql`
      select id from conversations where status = 'WAITING'
      order by queued_at, id limit ${take} for update`);
    if (waiting.length === 0) return none;

    const now = ctx.now();
    const at = now.toISOString();
    const plan: Array<{ conversationId: string; operatorId: string }> = [];
    for (const w of waiting) {
      const best = pickOperator(candidates);
      if (!best) break;
      plan.push({ conversationId: w.id, operatorId: best.id });
      best.open++;
      best.lastAssignedAt = now.getTime();
    }
    const rows = await tx.execute<{ id: string; operator_id: string; contact_id: string; instance_id: string }>(sql`
      update conversations c set status = 'OPEN', operator_id = v.op, assigned_at = ${at}::timestamptz,
        first_assigned_at = coalesce(c.first_assigned_at, ${at}::timestamptz)
      from unnest(${uuidArray(plan.map((p) => p.conversationId))}::uuid[],
                  ${uuidArray(plan.map((p) => p.operatorId))}::uuid[]) as v(id, op)
      where c.id = v.id and c.status = 'WAITING'
      returning c.id, c.operator_id, c.contact_id, c.instance_id`);
    const used = [...new Set(rows.map((r) => r.operator_id))];
    await tx.execute(
      sql`update users set last_assigned_at = ${at}::timestamptz where id = any(${uuidArray(used)}::uuid[])`,
    );
    await publishEvents(
      tx,
      rows.flatMap((r) =>
        conversationEvents("conversation.assigned", {
          id: r.id,
          status: "OPEN",
          operatorId: r.operator_id,
          contactId: r.contact_id,
          instanceId: r.instance_id,
        }),
      ),
    );
    return {
      locked: true,
      assigned: rows.map((r) => ({ conversationId: r.id, operatorId: r.operator_id })),
      more: waiting.length === input.limit,
    };
  });
}

/** Fewest open first, then idle the longest (oldest last assignment), then id for determinism. */
function pickOperator(candidates: Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (c.open >= c.max) continue;
    if (
      !best ||
      c.open < best.open ||
      (c.open === best.open &&
        (c.lastAssignedAt < best.lastAssignedAt || (c.lastAssignedAt === best.lastAssignedAt && c.id < best.id)))
    ) {
      best = c;
    }
  }
  return best;
}
