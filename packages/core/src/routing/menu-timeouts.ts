import { sql } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { routeToDepartment } from "./route-to-department";

/**
 * Cron: customers who left the menu unanswered for the number's `timeoutMinutes`
 * go to its fallback department (or, when the number has no menu any more, to its
 * department or the global queue). SKIP LOCKED lets overlapping runs split the work.
 */
export async function routeMenuTimeouts(ctx: CoreContext, opts: { batch?: number } = {}): Promise<number> {
  const now = ctx.now().toISOString();
  let total = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const due = await tx.execute<{ id: string; provider: "META" | "EVOLUTION"; target: string | null }>(sql`
        select c.id, i.provider, case i.routing->>'mode'
            when 'MENU' then i.routing->>'fallbackDepartmentId'
            when 'DEPARTMENT' then i.routing->>'departmentId' end as target
        from conversations c join service_instances i on i.id = c.instance_id
        where c.routing_state = 'MENU' and c.status = 'WAITING'
          and (i.routing->>'mode' is distinct from 'MENU'
            or c.routing_asked_at + make_interval(mins => (i.routing->>'timeoutMinutes')::int) <= ${now}::timestamptz)
        order by c.routing_asked_at limit ${opts.batch ?? 200}
        for update of c skip locked`);
      for (const d of due) await routeToDepartment(ctx, tx, d.id, d.target, "timeout", d.provider);
      return due.length;
    });
    total += n;
    if (n === 0) return total;
  }
}
