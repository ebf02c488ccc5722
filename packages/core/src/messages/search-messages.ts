import { contacts, conversations, messages, users } from "@elsehu/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { isStaff, readableBy } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { extraWalk } from "./extra-walk";
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

/** One pass over the newest messages: the viewer's matches, newest first, and the pass's oldest and newest. */
type Pass = {
  n: number;
  ids: string[];
  readable: number;
  edge_id: string | null;
  edge_at: string | null;
  /** The oldest and newest message's times, in seconds. */
  edge_s: number | null;
  top_s: number | null;
  tsquery: string;
};
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
 *    here, where its GIN posting list alone would be a large read; a word a
 *    little short of a page is sought a few hundred messages further, one by
 *    one too (`extraWalk`);
 * 2. then time windows before them: the first as long as 4 pages should need,
 *    judged from the newest messages (how many of them match and the viewer
 *    may read, counted in the same pass), the next ones each 5 times longer,
 *    then the rest; each a
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
    const readsIt = readableBy(viewer)
      ? sql`(select ${scope} from ${conversations} where ${conversations.id} = m.conversation_id)`
      : sql`true`;
    // The newest messages, tested one by one in one pass that also says how often the words match there and how
    // many of those the viewer reads (the conversation looked up for a match only), and where the pass ended.
    const pass = async (from: SQL, count: number) => {
      const [r] = await tx.execute<Pass>(sql`
        select count(*)::int as n, coalesce(array_agg(m.id order by m.created_at desc, m.id desc) filter (where m.mine), '{}') as ids,
          count(*) filter (where m.mine)::int as readable, (array_agg(m.id order by m.created_at, m.id))[1] as edge_id,
          min(m.created_at)::text as edge_at, extract(epoch from min(m.created_at))::float8 as edge_s,
          extract(epoch from max(m.created_at))::float8 as top_s, ${query}::text as tsquery
        from (select m.id, m.created_at, case when m.deleted_at is null and ${matches} then ${readsIt} else false end as mine
          from (select m.id, m.created_at, m.body, m.deleted_at, m.conversation_id from ${messages} m where ${from}
            order by m.created_at desc, m.id desc limit ${count}) m) m`);
      return r;
    };
    const recent = await pass(after, RECENT);
    if (!recent?.edge_id || !recent.edge_at) return [];
    // A word a little short of a page there (as common as 1 message in 300 or more): the page is a few hundred
    // messages further, cheaper tested one by one than its GIN entry read whole (~0.5 µs a match, 10M messages).
    const more = extraWalk(recent.readable, recent.n, want);
    const further =
      more > 0
        ? await pass(sql`(m.created_at, m.id) < (${recent.edge_at}::timestamptz, ${recent.edge_id}::uuid)`, more)
        : undefined;
    const walked = further?.edge_id && further.edge_at ? further : undefined;
    const edgeAt = walked?.edge_at ?? recent.edge_at;
    const edgeId = walked?.edge_id ?? recent.edge_id;
    const newest = [...recent.ids, ...(walked?.ids ?? [])].slice(0, want);
    const found =
      newest.length === 0
        ? []
        : [
            ...(await tx.execute<Row>(
              pageOf(
                sql`select m.id, m.created_at from ${messages} m where m.id = any(${uuidArray(newest)}::uuid[])`,
                want,
              ),
            )),
          ];
    if (found.length >= want || recent.n < RECENT || (walked && walked.n < more)) return found;
    // A phrase ("micro-ondas" is 'micro-ond' <-> 'micr' <-> 'ondas') needs each candidate's text re-read, and its
    // estimate (its words taken as independent) is so low that the planner skips the date range and reads every
    // candidate of every window. The index gets each phrase's first word (no re-read, a fair estimate, implied by
    // the phrase); the phrase is a filter after the date (not the index's expression, so never an index condition).
    const relaxed = relaxPhrases(recent.tsquery);
    const inWindow = relaxed
      ? sql`to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ ${relaxed}::tsquery
          and to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '') || '') @@ ${query}`
      : matches;
    // Windows end where the one before starts, so each match is in exactly one. Each reads the words' GIN
    // entries whole, so the first is long enough for 4 pages at the rate the newest messages gave matches the
    // viewer reads: most searches end there, in one index read (longer, its created_at bitmap would cost more).
    const seconds = (recent.top_s ?? 0) - ((walked ?? recent).edge_s ?? 0);
    const perSecond = Math.max(recent.readable + (walked?.readable ?? 0), 0.5) / Math.max(seconds, 1);
    const first = Math.max(60, Math.ceil((4 * want) / perSecond));
    // Lengths back from the edge, at most 7 and shorter than 50 years (a date before 4713 BC is an error).
    const ages: string[] = [];
    for (let a = first; ages.length < WINDOW_COUNT && a < 50 * 365 * 86400; a *= WINDOW_GROWTH)
      ages.push(`${a} seconds`);
    const edge = sql`${edgeAt}::timestamptz`;
    const bounds = [...ages.map((a) => sql`m.created_at >= ${edge} - ${a}::interval`), sql`true`];
    for (const [i, lower] of bounds.entries()) {
      // The first window's plain bound is for the planner: a row comparison with a subquery it cannot estimate.
      const upper =
        i === 0
          ? sql`m.created_at <= ${edge} and (m.created_at, m.id) < (${edge}, ${edgeId}::uuid)`
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
