import { contacts, conversations, messages, users } from "@elsehu/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { isStaff, readableBy } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";

export const SearchMessagesInput = z.object({
  /** Words as typed ("nota fiscal", "-boleto", "\"segunda via\""): websearch syntax, accents and case ignored. */
  query: z.string().trim().min(2).max(100),
  /** `nextCursor` of the previous page (a message id). */
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
export type SearchMessagesInput = z.input<typeof SearchMessagesInput>;

/** Marks around the matched words in `snippet`: control characters no message text shows, so the console splits safely. */
export const SNIPPET_START = "\u0002";
export const SNIPPET_END = "\u0003";
const HEADLINE = `StartSel=${SNIPPET_START}, StopSel=${SNIPPET_END}, MaxWords=24, MinWords=8, ShortWord=0, MaxFragments=1`;

type Row = {
  id: string;
  conversation_id: string;
  direction: "IN" | "OUT";
  type: string;
  created_at: string | Date;
  author_name: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  protocol: string;
  status: "WAITING" | "OPEN" | "CLOSED" | "EXPIRED";
  operator_id: string | null;
  snippet: string;
};

/**
 * Full-text search in message text (and internal notes) over the conversations
 * `viewer` may read: the one rule, `readableBy` (an operator: his own and the
 * customer history it allows; a supervisor: his departments'; an admin: all).
 * Portuguese stemming, accents and case ignored (`elsehu_pt` + the GIN index
 * `messages_search_idx`); a message the customer deleted is never found. Newest
 * first, keyset-paginated; each hit names its conversation so the console opens
 * it at the message.
 *
 * SQL rather than the builder: the matching is an index expression the
 * builder cannot say, and ts_headline (the costly part) runs in an outer query
 * on the page's rows only, not on every match. For common words the planner
 * walks `messages_created_idx` newest first and stops at the page's end; for
 * rare ones it takes the GIN matches and sorts them.
 */
export async function searchMessages(ctx: Pick<CoreContext, "db">, viewer: Actor, raw: SearchMessagesInput) {
  const input = SearchMessagesInput.parse(raw);
  const query = sql`websearch_to_tsquery('elsehu_pt', ${input.query})`;
  const scope = readableBy(viewer) ?? sql`true`;
  const after = input.cursor
    ? sql`and (${messages.createdAt}, ${messages.id}) < (select m2.created_at, m2.id from messages m2 where m2.id = ${input.cursor})`
    : sql``;
  // JIT compiling costs more than the search: the estimates of a big scan trigger it for a 21-row answer.
  const result = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return tx.execute<Row>(sql`
    select hit.id, hit.conversation_id, hit.direction, hit.type, hit.created_at, hit.protocol, hit.status,
      hit.operator_id, ${users.name} as author_name, ${contacts.name} as contact_name, ${contacts.phone} as contact_phone,
      ts_headline('elsehu_pt', hit.body, ${query}, ${HEADLINE}) as snippet
    from (
      select ${messages.id} as id, ${messages.conversationId} as conversation_id, ${messages.direction} as direction,
        ${messages.type} as type, ${messages.body} as body, ${messages.createdAt} as created_at,
        ${messages.authorId} as author_id, ${conversations.protocol} as protocol, ${conversations.status} as status,
        ${conversations.operatorId} as operator_id, ${conversations.contactId} as contact_id
      from ${messages}
      join ${conversations} on ${conversations.id} = ${messages.conversationId}
      where to_tsvector('elsehu_pt'::regconfig, coalesce(${messages.body}, '')) @@ ${query}
        and ${messages.deletedAt} is null and ${scope} ${after}
      order by ${messages.createdAt} desc, ${messages.id} desc
      limit ${input.limit + 1}
    ) hit
    join ${contacts} on ${contacts.id} = hit.contact_id
    left join ${users} on ${users.id} = hit.author_id
    order by hit.created_at desc, hit.id desc`);
  });
  const rows = [...result];
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      direction: r.direction,
      type: r.type,
      createdAt: new Date(r.created_at),
      authorName: r.author_name,
      contact: { name: r.contact_name, phone: r.contact_phone },
      protocol: r.protocol,
      status: r.status,
      /** Whether the viewer holds the conversation (the console opens it in the inbox, not read-only). */
      mine: r.operator_id === viewer.id,
      readOnly: !isStaff(viewer) && r.operator_id !== viewer.id,
      snippet: r.snippet,
    })),
    nextCursor: rows.length > input.limit && last ? last.id : null,
  };
}
