import { contacts } from "@elsehu/db";
import { and, arrayContains, desc, isNotNull, isNull, like, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { containsPattern, foldText } from "./search-text";
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
 * Contacts by descending id (uuid), erased ones excluded. The search runs on
 * `search_text` with LIKE '%q%', which the pg_trgm GIN index answers; a query
 * made of phone characters only is searched by its digits ("(11) 98765" -> "1198765").
 */
export async function listContacts(ctx: Pick<CoreContext, "db">, raw: ListContactsInput) {
  const input = ListContactsInput.parse(raw);
  const where: SQL[] = [isNull(contacts.erasedAt)];
  if (input.search) {
    const digits = input.search.replace(/\D/g, "");
    const phoneLike = /^[+\d\s().\-/]+$/.test(input.search) && digits.length > 0;
    where.push(like(contacts.searchText, containsPattern(phoneLike ? digits : foldText(input.search))));
  }
  if (input.tag) where.push(arrayContains(contacts.tags, [input.tag]));
  if (input.optedOut !== undefined) {
    where.push(input.optedOut ? isNotNull(contacts.optedOutAt) : isNull(contacts.optedOutAt));
  }
  if (input.cursor) where.push(lt(contacts.id, input.cursor));
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(desc(contacts.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicContact),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
