import { sql } from "drizzle-orm";
import { isOpenAt } from "../departments/hours";
import type { Tx } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";

/** An online operator with his load; `caps` holds his capacity per department he serves. */
export type Candidate = {
  id: string;
  open: number;
  max: number;
  lastAssignedAt: number;
  caps: Map<string, number>;
};

/**
 * Loads the online active operators (unlocked: see stillEligible), their open counts (once,
 * across every department) and their department memberships. Members of a
 * department outside its hours get no capacity there: its queue waits.
 */
export async function loadCandidates(
  tx: Tx,
  now: Date,
  timeZone: string,
  opts: {
    /** Only the members of these departments (with their capacity there); null: every operator. */
    departments: string[] | null;
  },
): Promise<Candidate[]> {
  const only = opts.departments ? uuidArray(opts.departments) : null;
  const ops = await tx.execute<{ id: string; max_concurrent: number; last_assigned_at: Date | string | null }>(sql`
    select id, max_concurrent, last_assigned_at from users
    where role = 'OPERATOR' and active and presence = 'ONLINE'
      ${only ? sql`and id in (select user_id from department_members where role = 'OPERATOR' and department_id = any(${only}::uuid[]))` : sql``}
    order by id`);
  if (ops.length === 0) return [];
  const ids = uuidArray(ops.map((o) => o.id));
  const counts = await tx.execute<{ operator_id: string; n: number }>(sql`
    select operator_id, count(*)::int as n from conversations
    where status = 'OPEN' and operator_id = any(${ids}::uuid[])
    group by operator_id`);
  const members = await tx.execute<{
    user_id: string;
    department_id: string;
    max_concurrent: number | null;
    hours: Parameters<typeof isOpenAt>[0];
  }>(sql`
    select m.user_id, m.department_id, m.max_concurrent, d.hours
    from department_members m join departments d on d.id = m.department_id
    where m.role = 'OPERATOR' and m.user_id = any(${ids}::uuid[])
      ${only ? sql`and m.department_id = any(${only}::uuid[])` : sql``}`);
  const open = new Map(counts.map((c) => [c.operator_id, c.n]));
  const byId = new Map<string, Candidate>(
    ops.map((o) => [
      o.id,
      {
        id: o.id,
        open: open.get(o.id) ?? 0,
        max: o.max_concurrent,
        lastAssignedAt: o.last_assigned_at ? new Date(o.last_assigned_at).getTime() : Number.NEGATIVE_INFINITY,
        caps: new Map(),
      },
    ]),
  );
  const openNow = new Map<string, boolean>();
  for (const m of members) {
    let isOpen = openNow.get(m.department_id);
    if (isOpen === undefined) {
      isOpen = isOpenAt(m.hours, now, timeZone);
      openNow.set(m.department_id, isOpen);
    }
    const c = byId.get(m.user_id);
    if (c && isOpen) c.caps.set(m.department_id, m.max_concurrent ?? c.max);
  }
  return [...byId.values()];
}

/**
 * Row-locks `chosen` (in id order, as every locker of users does) and tells whether each is
 * still an online active operator with the capacity and no more load than read: a pause,
 * logoff or change committed before the lock is seen here, one committed after happens-after
 * the assignment.
 */
export async function stillEligible(tx: Tx, chosen: Candidate[]): Promise<boolean> {
  const ids = uuidArray(chosen.map((c) => c.id));
  const rows = await tx.execute<{ id: string; max_concurrent: number; open: number }>(sql`
    with locked as (
      select id, max_concurrent from users
      where id = any(${ids}::uuid[]) and role = 'OPERATOR' and active and presence = 'ONLINE'
      order by id for update)
    select l.id, l.max_concurrent, (select count(*)::int from conversations c
      where c.operator_id = l.id and c.status = 'OPEN') as open
    from locked l`);
  const now = new Map(rows.map((r) => [r.id, r]));
  // Fewer open conversations (one closed meanwhile) is fine; more, or another capacity, is not.
  return chosen.every((c) => {
    const r = now.get(c.id);
    return r !== undefined && r.max_concurrent === c.max && r.open <= c.open;
  });
}

/** The capacity `c` has for a conversation of `departmentId` (null: the global queue, his own). */
export function capFor(c: Candidate, departmentId: string | null): number {
  if (departmentId === null) return c.max;
  return c.caps.get(departmentId) ?? 0;
}

/** How many more conversations of each queue the candidates could take: the limit of each queue's read. */
export function roomByQueue(candidates: Candidate[]): { global: number; departments: Map<string, number> } {
  let global = 0;
  const departments = new Map<string, number>();
  for (const c of candidates) {
    global += Math.max(0, c.max - c.open);
    for (const [d, cap] of c.caps) departments.set(d, (departments.get(d) ?? 0) + Math.max(0, cap - c.open));
  }
  return { global, departments };
}

/**
 * Among those with room for a conversation of `departmentId`: fewest open
 * first, then idle the longest (oldest last assignment), then id for determinism.
 */
export function pickOperator(candidates: Candidate[], departmentId: string | null): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (c.open >= capFor(c, departmentId)) continue;
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
