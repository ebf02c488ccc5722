import type { InstanceRouting } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { isOpenAt } from "../departments/hours";
import type { InstanceRow } from "../instances/shape";
import type { CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { MENU_ID_PREFIX, matchChoice } from "./menu";

type Item = { instance: InstanceRow; event: Pick<InboundMessage, "body" | "reply" | "from"> };

/**
 * For a run of plain inbound messages (ingestPlainInbound): the department each
 * one would send its conversation to if it answers the number's menu, or null.
 * Only the plain case is picked, the one answerMenu settles with no message of
 * its own: an option matched, its department active and open now. Everything
 * else (no match, a repeat, the fallback, a closed or archived department) is
 * left to answerMenu, one by one. So is any later message of a sender who
 * already has one in the run: only his first can be his answer.
 *
 * The routing and the departments are read fresh (one statement each, only for
 * numbers whose menu the cached instance shows), as answerMenu reads them.
 */
export async function menuPicks(
  ctx: Pick<CoreContext, "sql" | "now" | "config">,
  items: Item[],
): Promise<Array<string | null>> {
  const picks: Array<string | null> = items.map(() => null);
  const menuInstances = [
    ...new Set(items.filter((i) => i.instance.routing?.mode === "MENU").map((i) => i.instance.id)),
  ];
  if (menuInstances.length === 0) return picks;
  const routings = new Map(
    (
      await ctx.sql<{ id: string; routing: InstanceRouting | null }[]>`
        select id, routing from service_instances where id = any(${uuidArray(menuInstances)}::uuid[])`
    ).map((r) => [r.id, r.routing]),
  );
  const seen = new Set<string>();
  const chosen = items.map((item) => {
    const sender = `${item.instance.id} ${item.event.from.waId ?? item.event.from.bsuid ?? item.event.from.jid ?? item.event.from.lid}`;
    const first = !seen.has(sender);
    seen.add(sender);
    const routing = routings.get(item.instance.id);
    if (!first || routing?.mode !== "MENU") return null;
    const n = matchChoice(
      { replyId: item.event.reply?.id, text: item.event.body },
      routing.options.map((o) => o.title),
      MENU_ID_PREFIX,
    );
    return n ? (routing.options[n - 1]?.departmentId ?? null) : null;
  });
  const wanted = [...new Set(chosen.filter((d): d is string => d !== null))];
  if (wanted.length === 0) return picks;
  const departments = await ctx.sql<{ id: string; hours: Parameters<typeof isOpenAt>[0] }[]>`
    select id, hours from departments where id = any(${uuidArray(wanted)}::uuid[]) and archived_at is null`;
  const now = ctx.now();
  const open = new Set(departments.filter((d) => isOpenAt(d.hours, now, ctx.config.timezone)).map((d) => d.id));
  return chosen.map((d) => (d && open.has(d) ? d : null));
}
