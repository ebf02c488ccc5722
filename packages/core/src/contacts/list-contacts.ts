import { contacts } from "@elsehu/db";
import { type AnyColumn, and, arrayContains, desc, isNotNull, isNull, like, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { containsPattern } from "../shared/like";
import { foldText } from "./search-text";
import { publicContact } from "./shape";

export const ListContactsInput = z.object({
  /** Part of a name, an email or a phone: case- and accent-insensitive. */
  search: z.string().trim().max(100).optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  optedOut: z.boolean().optional(),
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListContactsInput = z.input<typeof ListContactsInput>;

/**
 * How many of the newest contacts a search first looks at, per row asked for:
 * a term found in at least 1 row in 20 ("joao") fills its page from them.
 */
const PROBE_ROWS_PER_RESULT = 20;

/**
 * Contacts by descending id (uuid), erased ones excluded. The search runs on
 * `search_text` with LIKE '%q%'; a query made of phone characters only is
 * searched by its digits ("(11) 98765" -> "1198765").
 *
 * A search first walks the newest contacts in id order (the primary key) and
 * filters them: a common term fills its page after a few hundred rows, where the
 * pg_trgm GIN index would have to fetch and sort every match (7% of a million
 * for "joao"). Only when that short walk does not fill the page does the index
 * answer. Both give the same rows: the first `limit` matches in id order.
 */
export async function listContacts(ctx: Pick<CoreContext, "db">, raw: ListContactsInput) {
  const input = ListContactsInput.parse(raw);
  const take = input.limit + 1;
  const base: SQL[] = [isNull(contacts.erasedAt)];
  if (input.cursor) base.push(lt(contacts.id, input.cursor));
  /** The other conditions, on the table itself or on the probe's subquery (same column names). */
  const filters = (t: { searchText: AnyColumn; tags: AnyColumn; optedOutAt: AnyColumn }) => {
    const out: SQL[] = [];
    if (input.search) {
      const digits = input.search.replace(/\D/g, "");
      const phoneLike = /^[+\d\s().\-/]+$/.test(input.search) && digits.length > 0;
      out.push(like(t.searchText, containsPattern(phoneLike ? digits : foldText(input.search))));
    }
    if (input.tag) out.push(arrayContains(t.tags, [input.tag]));
    if (input.optedOut !== undefined) out.push(input.optedOut ? isNotNull(t.optedOutAt) : isNull(t.optedOutAt));
    return out;
  };
  if (input.search) {
    // The subquery's LIMIT keeps the planner on the primary key; the search filters its rows.
    const newest = ctx.db
      .select()
      .from(contacts)
      .where(and(...base))
      .orderBy(desc(contacts.id))
      .limit(take * PROBE_ROWS_PER_RESULT)
      .as("newest");
    const probed = await ctx.db
      .select()
      .from(newest)
      .where(and(...filters(newest)))
      .orderBy(desc(newest.id))
      .limit(take);
    if (probed.length === take) return pageOf(probed, input.limit);
  }
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(...base, ...filters(contacts)))
    .orderBy(desc(contacts.id))
    .limit(take);
  return pageOf(rows, input.limit);
}

function pageOf(rows: (typeof contacts.$inferSelect)[], limit: number) {
  const page = rows.slice(0, limit);
  return {
    items: page.map(publicContact),
    nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
