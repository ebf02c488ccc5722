import type postgres from "postgres";
import { z } from "zod";
import { isProtocolSearch } from "../conversations/protocol";
import { DomainError } from "../shared/errors";
import { containsPattern } from "../shared/like";
import { finishedWhere, type ParsedFilter, ReportFilter } from "./filter";

/** Filters of the finished-conversations list and its CSV export. */
export const FinishedFilter = ReportFilter.and(z.object({ search: z.string().trim().min(1).max(100).optional() }));
export type FinishedFilter = z.input<typeof FinishedFilter>;

/** Same folding as contacts.search_text: lower case, no accents. */
function fold(q: string): string {
  return q
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/**
 * LIKE patterns of a contact search: the folded text anywhere in
 * `contacts.search_text`, and its digits anywhere in the phone (from 4 digits).
 */
export function searchPatterns(q: string | undefined): {
  search: string | null;
  digits: string | null;
  protocol: string | null;
} {
  if (!q) return { search: null, digits: null, protocol: null };
  const digits = q.replace(/\D/g, "");
  return {
    search: containsPattern(fold(q)),
    digits: digits.length >= 4 ? containsPattern(digits) : null,
    protocol: isProtocolSearch(q) ? `${q.trim()}%` : null,
  };
}

/** Opaque page cursor: the exact `closed_at` text (microseconds kept) and id of the last row. */
export function encodeCursor(closedAtText: string, id: string): string {
  return Buffer.from(`${closedAtText}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { closedAt: string; id: string } {
  const [closedAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (
    !closedAt ||
    !id ||
    !/^\d{4}-\d{2}-\d{2} [\d:.]+\+00$/.test(closedAt) ||
    !z.string().uuid().safeParse(id).success
  ) {
    throw new DomainError("INVALID_INPUT", "cursor: invalid cursor", {
      field: "cursor",
      issues: [{ path: "cursor", message: "invalid" }],
    });
  }
  return { closedAt, id };
}

/**
 * FROM/WHERE/ORDER of finished conversations joined to their contact,
 * operator, tabulation and instance. Newest first for pages (cursor on
 * `(closed_at, id)`), oldest first for exports.
 */
export function finishedFrom(
  sql: postgres.Sql,
  f: ParsedFilter & { search?: string },
  tz: string,
  opts: { cursor?: string; order: "desc" | "asc" },
): postgres.Fragment {
  const { search, digits, protocol } = searchPatterns(f.search);
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  return sql`from conversations c
    join contacts ct on ct.id = c.contact_id
    join service_instances i on i.id = c.instance_id
    left join users u on u.id = c.operator_id
    left join tabulations t on t.id = c.tabulation_id
    where ${finishedWhere(sql, f, tz)}
    ${
      search
        ? sql`and (ct.search_text like ${search} ${digits ? sql`or ct.phone like ${digits}` : sql``}
            ${protocol ? sql`or c.protocol like ${protocol}` : sql``})`
        : sql``
    }
    ${
      after
        ? sql`and c.closed_at <= ${after.closedAt}::timestamptz
              and (c.closed_at, c.id) < (${after.closedAt}::timestamptz, ${after.id}::uuid)`
        : sql``
    }
    order by ${opts.order === "desc" ? sql`c.closed_at desc, c.id desc` : sql`c.closed_at asc, c.id asc`}`;
}
