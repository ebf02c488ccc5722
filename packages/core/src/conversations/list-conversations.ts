import { contacts, conversations, users } from "@elsehu/db";
import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { containsPattern } from "../shared/like";
import { readableBy, withoutOthersNotes } from "./access";
import { isProtocolSearch } from "./protocol";
import { conversationColumns, shapeConversation } from "./shape";
import { TagFilter } from "./tags";

const Status = z.enum(["WAITING", "OPEN", "CLOSED", "EXPIRED"]);

export const ListConversationsInput = z.object({
  status: z.union([Status, z.array(Status).min(1)]).optional(),
  operatorId: z.string().uuid().optional(),
  instanceId: z.string().uuid().optional(),
  tabulationId: z.string().uuid().optional(),
  departmentId: z.string().uuid().optional(),
  contactId: z.string().uuid().optional(),
  /** Conversations carrying this tag. */
  tag: TagFilter.optional(),
  /** Period on creation time: from inclusive, to exclusive. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Contact name, phone or email fragment, or the start of a protocol number. */
  search: z.string().trim().min(1).max(100).optional(),
  /** `nextCursor` of the previous page (a conversation id). */
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListConversationsInput = z.input<typeof ListConversationsInput>;

/** Conversations `viewer` may read, newest first, keyset-paginated. */
export async function listConversations(ctx: Pick<CoreContext, "db">, viewer: Actor, raw: ListConversationsInput) {
  const input = ListConversationsInput.parse(raw);
  const where: Array<SQL | undefined> = [readableBy(viewer)];
  if (input.status) where.push(inArray(conversations.status, [input.status].flat()));
  if (input.operatorId) where.push(eq(conversations.operatorId, input.operatorId));
  if (input.instanceId) where.push(eq(conversations.instanceId, input.instanceId));
  if (input.tabulationId) where.push(eq(conversations.tabulationId, input.tabulationId));
  if (input.departmentId) where.push(eq(conversations.departmentId, input.departmentId));
  if (input.contactId) where.push(eq(conversations.contactId, input.contactId));
  if (input.tag) where.push(sql`${conversations.tags} @> array[${input.tag}]::text[]`);
  if (input.from) where.push(gte(conversations.createdAt, input.from));
  if (input.to) where.push(lt(conversations.createdAt, input.to));
  if (input.search) {
    const q = containsPattern(input.search.toLowerCase());
    const digits = input.search.replace(/\D/g, "");
    where.push(
      or(
        sql`${contacts.searchText} like ${q}`,
        sql`lower(coalesce(${contacts.name}, '')) like ${q}`,
        digits.length >= 3 ? sql`${contacts.phone} like ${containsPattern(digits)}` : undefined,
        isProtocolSearch(input.search) ? sql`${conversations.protocol} like ${`${input.search}%`}` : undefined,
      ),
    );
  }
  if (input.cursor) {
    // Compare against the stored row: timestamps have microseconds a JS Date would lose.
    where.push(
      sql`(${conversations.createdAt}, ${conversations.id}) < (select c3.created_at, c3.id from conversations c3 where c3.id = ${input.cursor})`,
    );
  }
  const rows = await ctx.db
    .select(conversationColumns)
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(users, eq(users.id, conversations.operatorId))
    .where(and(...where))
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => withoutOthersNotes(viewer, shapeConversation(r))),
    nextCursor: rows.length > input.limit && last ? last.conversation.id : null,
  };
}
