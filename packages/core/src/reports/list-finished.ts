import type { ConversationReferral } from "@elsehu/db";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { parseOrThrow, reportTx, scopeFilter } from "./filter";
import { encodeCursor, FinishedFilter, finishedFrom } from "./finished-query";
import { metricSelect } from "./metrics";

export const ListFinishedInput = FinishedFilter.and(
  z.object({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(200).default(50) }),
);
export type ListFinishedInput = z.input<typeof ListFinishedInput>;

const secs = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/**
 * Finished (CLOSED or EXPIRED) conversations of the period, newest close
 * first, with the four times of each (seconds; null when a step never
 * happened). `nextCursor` continues after the last row of the page.
 */
export async function listFinished(ctx: Pick<CoreContext, "sql" | "config">, viewer: Actor, raw: ListFinishedInput) {
  const input = await scopeFilter(ctx, viewer, parseOrThrow(ListFinishedInput, raw));
  const rows = await reportTx(
    ctx,
    (sql) => sql`select c.id, c.status::text as status, c.closed_at::text as cursor_at,
      c.created_at, c.queued_at, c.first_assigned_at, c.first_response_at, c.closed_at,
      ct.id as contact_id, ct.name as contact_name, ct.phone as contact_phone,
      u.id as operator_id, u.name as operator_name, t.id as tabulation_id, t.name as tabulation_name,
      i.id as instance_id, i.name as instance_name, c.referral, ${metricSelect(sql)}
    ${finishedFrom(sql, input, ctx.config.timezone, { cursor: input.cursor, order: "desc" })}
    limit ${input.limit + 1}`,
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: String(r.id),
      status: r.status as "CLOSED" | "EXPIRED",
      contact: {
        id: String(r.contact_id),
        name: r.contact_name as string | null,
        phone: r.contact_phone as string | null,
      },
      operator: r.operator_id ? { id: String(r.operator_id), name: String(r.operator_name) } : null,
      tabulation: r.tabulation_id ? { id: String(r.tabulation_id), name: String(r.tabulation_name) } : null,
      instance: { id: String(r.instance_id), name: String(r.instance_name) },
      /** The click-to-WhatsApp ad the conversation started from, if any. */
      referral: (r.referral ?? null) as ConversationReferral | null,
      createdAt: r.created_at as Date,
      queuedAt: r.queued_at as Date,
      firstAssignedAt: r.first_assigned_at as Date | null,
      firstResponseAt: r.first_response_at as Date | null,
      closedAt: r.closed_at as Date,
      times: {
        waiting: secs(r.waiting),
        handling: secs(r.handling),
        firstResponse: secs(r.first_response),
        duration: secs(r.duration),
      },
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(String(last.cursor_at), String(last.id)) : null,
  };
}
export type FinishedRow = Awaited<ReturnType<typeof listFinished>>["items"][number];
