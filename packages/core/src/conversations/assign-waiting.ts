import { sql } from "drizzle-orm";
import { z } from "zod";
import { greetAssigned } from "../automatic/greet";
import { publishEvents } from "../events/publish";
import type { CoreContext, Tx } from "../shared/context";
import { idArray, uuidArray } from "../shared/sql-arrays";
import { withSpan } from "../telemetry/spans";
import { type Candidate, loadCandidates, pickOperator, roomByQueue, stillEligible } from "./assignment-candidates";
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

/**
 * Assigns waiting conversations, oldest first, to online active operators below
 * capacity: fewest open conversations first, then the one idle the longest.
 * Each department has its own FIFO queue served by its operator members (with
 * its capacity override, if any, against all their open conversations); the
 * conversations of no department go to any operator, as before departments.
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
  return withSpan("conversations assign", () => assignInTransaction(ctx, input));
}

async function assignInTransaction(
  ctx: CoreContext,
  input: z.output<typeof AssignWaitingInput>,
): Promise<AssignWaitingResult> {
  return ctx.db.transaction(async (tx) => {
    if (input.wait) {
      // A holder never takes this long; past it the job fails and graphile-worker retries it.
      await tx.execute(sql`set local lock_timeout = '10s'`);
      await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK})`);
    } else {
      const [got] = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(${ASSIGNMENT_LOCK}) as ok`);
      if (!got?.ok) return { locked: false, assigned: [], more: false };
    }
    const none = { locked: true, assigned: [], more: false };
    const now = ctx.now();
    // Plan from unlocked reads, then lock what the plan uses, operators first (in id order, as
    // every locker of users does), then the conversations (in queue order, as the inbound batch
    // does): locking every online operator on each run cost a row lock per operator, most of a
    // run with a thousand of them. A chosen operator who changed meanwhile (a pause, logoff, new
    // load or capacity) voids the plan: the caller runs again at once, reading afresh.
    const planned = await planAssignments(tx, now, ctx.config.timezone, input.limit);
    if (planned.plan.length === 0) return none;
    if (!(await stillEligible(tx, planned.chosen))) return { ...none, more: true };
    const plan = await stillWaiting(tx, planned.plan);
    const skipped = planned.skipped + planned.plan.length - plan.length;
    if (plan.length === 0) return { ...none, more: skipped > 0 };
    const at = now.toISOString();
    const rows = await tx.execute<{
      id: string;
      operator_id: string;
      contact_id: string;
      instance_id: string;
      department_id: string | null;
    }>(sql`
      update conversations c set status = 'OPEN', operator_id = v.op, assigned_at = ${at}::timestamptz,
        first_assigned_at = coalesce(c.first_assigned_at, ${at}::timestamptz)
      from unnest(${uuidArray(plan.map((p) => p.conversationId))}::uuid[],
                  ${uuidArray(plan.map((p) => p.operatorId))}::uuid[]) as v(id, op)
      where c.id = v.id and c.status = 'WAITING'
      returning c.id, c.operator_id, c.contact_id, c.instance_id, c.department_id`);
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
          departmentId: r.department_id,
        }),
      ),
    );
    await greetAssigned(tx, rows, now);
    return {
      locked: true,
      assigned: rows.map((r) => ({ conversationId: r.id, operatorId: r.operator_id })),
      // Another run may assign more: this one was cut by its limit, or shared operators between queues.
      more: skipped > 0 || (rows.length > 0 && plan.length === input.limit),
    };
  });
}

type Planned = { conversationId: string; operatorId: string; departmentId: string | null };
type Plan = {
  plan: Planned[];
  /** The operators the plan gives conversations to, as read. */
  chosen: Candidate[];
  skipped: number;
};

/**
 * Which waiting conversation goes to whom, from unlocked reads: each queue's oldest, as many
 * as its members could take, in one FIFO across the queues.
 */
async function planAssignments(tx: Tx, now: Date, timeZone: string, limit: number): Promise<Plan> {
  const empty: Plan = { plan: [], chosen: [], skipped: 0 };
  // Which queues wait: nothing waiting costs no operator read, and department queues alone
  // need only their members (a hundred, say, of a thousand online).
  const queues = await tx.execute<{ department_id: string | null }>(sql`
    select distinct department_id from conversations where status = 'WAITING' and routing_state is null`);
  if (queues.length === 0) return empty;
  const departments = queues.some((q) => q.department_id === null)
    ? null
    : queues.flatMap((q) => (q.department_id ? [q.department_id] : []));
  const candidates = await loadCandidates(tx, now, timeZone, { departments });
  if (candidates.length === 0) return empty;
  const room = roomByQueue(candidates);
  const cap = (n: number) => Math.min(n, limit);
  const deps = [...room.departments].filter(([, n]) => n > 0);
  if (room.global === 0 && deps.length === 0) return empty;
  // A menu still unanswered is not in any queue.
  type Waiting = { id: string; department_id: string | null; queued_at: string };
  const global = await tx.execute<Waiting>(sql`
    select id, department_id, to_char(queued_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') as queued_at from conversations
    where status = 'WAITING' and department_id is null and routing_state is null
    order by queued_at, id limit ${cap(room.global)}`);
  const perDepartment = deps.length
    ? await tx.execute<Waiting>(sql`
        select w.id, w.department_id, to_char(w.queued_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') as queued_at
        from unnest(${uuidArray(deps.map(([d]) => d))}::uuid[], ${idArray(deps.map(([, n]) => cap(n)))}::int[])
          as q(department_id, room)
        cross join lateral (select id, department_id, queued_at from conversations
          where status = 'WAITING' and department_id = q.department_id and routing_state is null
          order by queued_at, id limit q.room) w`)
    : [];
  // One FIFO across the queues (fixed-width UTC digits sort like the timestamps).
  const waiting = [...global, ...perDepartment].sort((a, b) =>
    a.queued_at === b.queued_at ? (a.id < b.id ? -1 : 1) : a.queued_at < b.queued_at ? -1 : 1,
  );
  const plan: Plan["plan"] = [];
  const chosen = new Map<string, Candidate>();
  let skipped = 0;
  for (const w of waiting) {
    if (plan.length === limit) break;
    const best = pickOperator(candidates, w.department_id);
    if (!best) {
      // Its department's members were filled by older conversations of another queue.
      skipped++;
      continue;
    }
    if (!chosen.has(best.id)) chosen.set(best.id, { ...best });
    plan.push({ conversationId: w.id, operatorId: best.id, departmentId: w.department_id });
    best.open++;
    best.lastAssignedAt = now.getTime();
  }
  return { plan, chosen: [...chosen.values()], skipped };
}

/**
 * Row-locks the planned conversations in queue order and keeps those still waiting, out of the
 * menu, in the department they were planned for (one closed, routed or transferred meanwhile
 * is left to the next run).
 */
async function stillWaiting(tx: Tx, plan: Planned[]): Promise<Planned[]> {
  const rows = await tx.execute<{ id: string; department_id: string | null }>(sql`
    select id, department_id from conversations
    where id = any(${uuidArray(plan.map((p) => p.conversationId))}::uuid[])
      and status = 'WAITING' and routing_state is null
    order by queued_at, id for update`);
  const department = new Map(rows.map((r) => [r.id, r.department_id]));
  return plan.filter((p) => department.has(p.conversationId) && department.get(p.conversationId) === p.departmentId);
}
