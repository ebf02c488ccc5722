import { contacts, conversations, messages, users } from "@elsehu/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { isStaff, readableBy } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { ownSearchHits } from "./search-own-messages";

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

/** Messages the first step tests newest first, one by one (common words fill a page among them). */
const RECENT = 1000;
/** Windows of the second step: the first sized to fill the page twice over, the next ones 5 times longer; then the rest. */
const WINDOW_GROWTH = 5;
const WINDOW_COUNT = 7;

/**
 * Full-text search in message text (and internal notes) over the conversations
 * `viewer` may read: the one rule, `readableBy` (an operator: his own and the
 * customer history it allows; a supervisor: his departments'; an admin: all).
 * Portuguese stemming, accents and case ignored (`elsehu_pt` + the GIN index
 * `messages_search_idx`); a message the customer deleted is never found. Newest
 * first, keyset-paginated; each hit names its conversation so the console opens
 * it at the message.
 *
 * A search costs what it fetches, so it goes newest first in bounded steps and
 * stops once the page is full (the results are those of one ORDER BY ... LIMIT):
 * 1. the newest RECENT messages (before the cursor), walked on
 *    `messages_created_idx` and tested one by one: a common word fills the page
 *    here, where its GIN posting list alone would be a large read;
 * 2. then time windows before them: the first as long as the page should need,
 *    judged from the newest messages (how many match; how many the viewer may
 *    read), the next ones each 5 times longer, then the rest; each a
 *    query for all its matches (a MATERIALIZED CTE, so no LIMIT reaches it): the
 *    planner then intersects the GIN bitmap with the created_at range, filters
 *    the word's few matches by date, or tests the range's messages when the word
 *    is everywhere, by its estimates, and never walks the index testing
 *    messages in the hope of an early stop (which, for a word rarer than
 *    estimated, tested every message: 10 s on 1,000,000).
 * SQL rather than the builder: the matching is an index expression the builder
 * cannot say. ts_headline (the costly part) runs on the page's rows only.
 */
export async function searchMessages(ctx: Pick<CoreContext, "db">, viewer: Actor, raw: SearchMessagesInput) {
  const input = SearchMessagesInput.parse(raw);
  const query = sql`websearch_to_tsquery('elsehu_pt', ${input.query})`;
  const scope = readableBy(viewer) ?? sql`true`;
  const want = input.limit + 1;
  const matches = sql`to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ ${query}`;
  const before = (id: string) =>
    sql`(m.created_at, m.id) < (select m2.created_at, m2.id from messages m2 where m2.id = ${id})`;
  const after = input.cursor ? before(input.cursor) : sql`true`;
  /**
   * The page's rows among `hits` (a CTE of matching message ids and times), with what the console shows; those of
   * `recheck` only (an operator's: the rule again, so a stale operator copy could hide a message, never show one).
   */
  const pageOf = (hits: SQL, limit: number, recheck: SQL = sql`true`) => sql`
    with hits as materialized (${hits})
    select m.id, m.conversation_id, m.direction, m.type, m.created_at, ${conversations.protocol} as protocol,
      ${conversations.status} as status, ${conversations.operatorId} as operator_id, ${users.name} as author_name,
      ${contacts.name} as contact_name, ${contacts.phone} as contact_phone,
      ts_headline('elsehu_pt', m.body, ${query}, ${HEADLINE}) as snippet
    from (select id from hits order by created_at desc, id desc limit ${limit}) h
    join ${messages} m on m.id = h.id
    join ${conversations} on ${conversations.id} = m.conversation_id
    join ${contacts} on ${contacts.id} = ${conversations.contactId}
    left join ${users} on ${users.id} = m.author_id
    where ${recheck}
    order by m.created_at desc, m.id desc`;
  const readable = sql`join ${conversations} on ${conversations.id} = m.conversation_id where ${scope}`;

  const rows = await ctx.db.transaction(async (tx) => {
    // Each step touches few rows: JIT compiling and parallel workers cost more than the search, and a hash join
    // would read every conversation for a word estimated common (an unknown word is taken as 1 in 200). A generic
    // plan would not know the word or the dates. work_mem keeps a common word's bitmap exact (no re-reading).
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true),
      set_config('max_parallel_workers_per_gather', '0', true), set_config('enable_hashjoin', 'off', true),
      set_config('enable_mergejoin', 'off', true), set_config('work_mem', '32MB', true)`);
    if (viewer.role === "OPERATOR") {
      const hits = await ownSearchHits(tx, {
        viewerId: viewer.id,
        query,
        matches,
        after,
        scope,
        want,
        relax: relaxPhrases,
      });
      if (hits.length === 0) return [];
      return [
        ...(await tx.execute<Row>(
          pageOf(
            sql`select m.id, m.created_at from ${messages} m where m.id = any(${uuidArray(hits)}::uuid[])`,
            want,
            scope,
          ),
        )),
      ];
    }
    const recent = [
      ...(await tx.execute<{ id: string; created_at: string; n: number; tsquery: string }>(sql`
        select id, created_at::text as created_at, count(*) over ()::int as n, ${query}::text as tsquery from (
          select m.id, m.created_at from ${messages} m where ${after}
          order by m.created_at desc, m.id desc limit ${RECENT}) r
        order by r.created_at, r.id limit 1`)),
    ][0];
    if (!recent) return [];
    const found = [
      ...(await tx.execute<Row>(
        pageOf(
          sql`select m.id, m.created_at from (
            select m.id, m.created_at, m.body, m.conversation_id, m.deleted_at from ${messages} m where ${after}
            order by m.created_at desc, m.id desc limit ${RECENT}) m
          ${readable} and m.deleted_at is null and ${matches}`,
          want,
        ),
      )),
    ];
    if (found.length >= want || recent.n < RECENT) return found;
    // A phrase ("micro-ondas" is 'micro-ond' <-> 'micr' <-> 'ondas') needs each candidate's text re-read, and its
    // estimate (its words taken as independent) is so low that the planner skips the date range and reads every
    // candidate of every window. The index gets each phrase's first word (no re-read, a fair estimate, implied by
    // the phrase); the phrase is a filter after the date (not the index's expression, so never an index condition).
    const relaxed = relaxPhrases(recent.tsquery);
    const inWindow = relaxed
      ? sql`to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ ${relaxed}::tsquery
          and to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '') || '') @@ ${query}`
      : matches;
    // Windows end where the one before starts, so each match is in exactly one.
    // The first window's length: what the newest messages say of the word's frequency and of the viewer's share
    // (an operator reads about one message in 50), so one index read usually fills the page.
    const [sample] = [
      ...(await tx.execute<{ hits: number; mine: number; seconds: number }>(sql`
        select count(*) filter (where m.deleted_at is null and ${matches})::int as hits,
          count(*) filter (where ${scope})::int as mine,
          extract(epoch from max(m.created_at) - min(m.created_at))::float8 as seconds
        from (select m.created_at, m.body, m.deleted_at, m.conversation_id from ${messages} m where ${after}
          order by m.created_at desc, m.id desc limit ${RECENT}) m
        join ${conversations} on ${conversations.id} = m.conversation_id`)),
    ];
    const share = (k: number | undefined) => Math.max(k ?? 0, 0.5) / RECENT;
    const perMessage = Math.max(sample?.seconds ?? 0, 1) / RECENT;
    const first = Math.max(60, Math.ceil(((2 * want) / (share(sample?.hits) * share(sample?.mine))) * perMessage));
    // Lengths back from the edge, at most 7 and shorter than 50 years (a date before 4713 BC is an error).
    const ages: string[] = [];
    for (let a = first; ages.length < WINDOW_COUNT && a < 50 * 365 * 86400; a *= WINDOW_GROWTH)
      ages.push(`${a} seconds`);
    const edge = sql`${recent.created_at}::timestamptz`;
    const bounds = [...ages.map((a) => sql`m.created_at >= ${edge} - ${a}::interval`), sql`true`];
    for (const [i, lower] of bounds.entries()) {
      // The first window's plain bound is for the planner: a row comparison with a subquery it cannot estimate.
      const upper =
        i === 0
          ? sql`m.created_at <= ${edge} and ${before(recent.id)}`
          : sql`m.created_at < ${edge} - ${ages[i - 1] ?? ""}::interval`;
      found.push(
        ...(await tx.execute<Row>(
          pageOf(
            sql`select m.id, m.created_at from ${messages} m ${readable}
              and ${upper} and ${lower} and m.deleted_at is null and ${inWindow}`,
            want - found.length,
          ),
        )),
      );
      if (found.length >= want) break;
    }
    return found;
  });
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

/**
 * For the index, a tsquery (as text) implied by `tsquery` whose estimate the planner gets right: each phrase
 * (`'micro-ond' <-> 'micr' <-> 'ondas'`) down to its first word, the words ANDed. Null when there is no phrase,
 * or an OR, NOT or group (kept whole there: AND would no longer be implied). Quoted words are left as they are.
 */
function relaxPhrases(tsquery: string): string | null {
  const tokens = tsquery.match(/'(?:[^']|'')*'(?::[A-D*]+)?|<\d*-?>|&|\||!|\(|\)/g) ?? [];
  if (!tokens.some((t) => t.startsWith("<")) || tokens.some((t) => ["|", "!", "(", ")"].includes(t))) return null;
  const firsts = tokens.filter((t, i) => t.startsWith("'") && (i === 0 || tokens[i - 1] === "&"));
  return firsts.join(" & ");
}
