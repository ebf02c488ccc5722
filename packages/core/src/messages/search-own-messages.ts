import { conversations, messages } from "@elsehu/db";
import { type SQL, sql } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { extraWalk } from "./extra-walk";

/** What `searchMessages` builds once: the words, the rule, the cursor, the page size (+1). */
export type OwnSearch = {
  viewerId: string;
  query: SQL;
  /** `m` (a message row) matches the words. */
  matches: SQL;
  /** `m` comes before the cursor (`true` on the first page). */
  after: SQL;
  /** The rule (`readableBy`) on the `conversations` table. */
  scope: SQL;
  want: number;
  /** For a phrase, the same words without it (`relaxPhrases`), else null. */
  relax: (tsquery: string) => string | null;
};

/** His newest messages tested one by one first (a common word fills the page among them). */
const RECENT = 1000;

/**
 * Ids of the messages an operator's page may hold: every match of the customer history the rule grants him, and
 * his own newest matches, at least `want` of them when he has that many (the page is the newest `want` of both).
 *
 * His messages carry his id (`messages.operator_id`, kept by triggers), so nothing here reads another operator's:
 * 1. his newest RECENT messages (`messages_operator_created_idx`), tested one by one (and a few hundred more
 *    when a word is a little short of a page there: `extraWalk`);
 * 2. then a window of his older messages as long as his newest say 8 pages need, then the rest: each his
 *    matches in a date range, the GIN's bitmap of his entry and the words' (`messages_search_idx`) ANDed with
 *    the range, so a word common in his history is not fetched whole;
 * 3. the customer history (finished conversations of the customers he serves now: those candidates, the rule
 *    decides) by conversation, each message tested.
 */
export async function ownSearchHits(tx: Tx, s: OwnSearch): Promise<string[]> {
  const me = s.viewerId;
  const history = [
    ...(await tx.execute<{ id: string }>(sql`select distinct ${conversations.id} as id from ${conversations} o
      join ${conversations} on ${conversations.contactId} = o.contact_id and ${conversations.instanceId} = o.instance_id
        and ${conversations.status} in ('CLOSED', 'EXPIRED')
      where o.operator_id = ${me} and o.status = 'OPEN' and ${conversations.operatorId} is distinct from ${me}
        and ${s.scope}`)),
  ];
  // A few conversations: OFFSET 0 keeps the words off the scan, so a word the planner takes for rare never has the
  // GIN fetch all its matches to keep those of these conversations.
  const theirs =
    history.length === 0
      ? []
      : await tx.execute<{
          id: string;
        }>(sql`select m.id from (select m.id, m.created_at, m.body, m.deleted_at from ${messages} m
          where m.conversation_id = any(${uuidArray(history.map((h) => h.id))}::uuid[]) and ${s.after} offset 0) m
          where m.deleted_at is null and ${s.matches} order by m.created_at desc, m.id desc limit ${s.want}`);
  const walkFrom = async (from: SQL, count: number) => {
    const [w] = await tx.execute<{
      walked: number;
      ids: string[];
      edge_id: string | null;
      edge_at: string | null;
      edge_s: number | null;
      top_s: number | null;
      tsquery: string;
    }>(sql`
      with walk as materialized (
        select m.id, m.created_at, m.body, m.deleted_at from ${messages} m where m.operator_id = ${me} and ${from}
        order by m.created_at desc, m.id desc limit ${count})
      select count(*)::int as walked, coalesce(array_agg(m.id) filter (where m.deleted_at is null and ${s.matches}),
          '{}') as ids, (array_agg(m.id order by m.created_at, m.id))[1] as edge_id, min(m.created_at)::text as edge_at,
        extract(epoch from min(m.created_at))::float8 as edge_s, extract(epoch from max(m.created_at))::float8 as top_s,
        ${s.query}::text as tsquery
      from walk m`);
    return w;
  };
  const newest = await walkFrom(s.after, RECENT);
  const own = [...(newest?.ids ?? [])];
  const ids = () => [...own, ...theirs.map((t) => t.id)];
  if (!newest?.edge_id || !newest.edge_at || own.length >= s.want || newest.walked < RECENT) return ids();
  // A word a little short of a page among them: the rest a few hundred messages further, tested one by one.
  const more = extraWalk(own.length, newest.walked, s.want);
  const further =
    more > 0
      ? await walkFrom(sql`(m.created_at, m.id) < (${newest.edge_at}::timestamptz, ${newest.edge_id}::uuid)`, more)
      : undefined;
  const walk = further?.edge_id && further.edge_at ? further : newest;
  if (walk !== newest) own.push(...walk.ids);
  if (!walk.edge_id || !walk.edge_at || own.length >= s.want || (walk !== newest && walk.walked < more)) return ids();
  const seconds = (newest.top_s ?? 0) - (walk.edge_s ?? 0);

  // A phrase's estimate (its words taken as independent) is so low the planner would skip the date range: the
  // index gets its first word, the phrase is checked after (as in the staff's windows).
  const relaxed = s.relax(newest.tsquery);
  const inWindow = relaxed
    ? sql`to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '')) @@ ${relaxed}::tsquery
        and to_tsvector('elsehu_pt'::regconfig, coalesce(m.body, '') || '') @@ ${s.query}`
    : s.matches;
  // Each window reads the GIN entries whole (his and the words': up to ~40 ms for common words on 10M messages),
  // so two at most: the first long enough for 8 pages at the rate his newest messages matched (its heap reads are
  // its matches only, the date range ANDed), then the rest, where the word proved rarer than that rate.
  const perSecond = Math.max(own.length, 0.5) / Math.max(seconds, 1);
  const first = Math.ceil((8 * s.want) / perSecond);
  const ages = first < 50 * 365 * 86400 ? [`${first} seconds`] : [];
  const edge = sql`${walk.edge_at}::timestamptz`;
  const bounds = [...ages.map((a) => sql`m.created_at >= ${edge} - ${a}::interval`), sql`true`];
  for (const [i, lower] of bounds.entries()) {
    const upper =
      i === 0
        ? sql`m.created_at <= ${edge} and (m.created_at, m.id) < (${edge}, ${walk.edge_id}::uuid)`
        : sql`m.created_at < ${edge} - ${ages[i - 1] ?? ""}::interval`;
    // All the window's matches (MATERIALIZED: no LIMIT reaches the scan, see searchMessages), the newest kept.
    const found = await tx.execute<{ id: string }>(sql`with w as materialized (select m.id, m.created_at
        from ${messages} m where m.operator_id = ${me} and ${upper} and ${lower} and m.deleted_at is null and ${inWindow})
      select id from w order by created_at desc, id desc limit ${s.want - own.length}`);
    own.push(...found.map((f) => f.id));
    if (own.length >= s.want) break;
  }
  return ids();
}
