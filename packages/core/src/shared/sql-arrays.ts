import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { bug } from "./errors";

/**
 * The list-parameter convention (ARCHITECTURE.md, "Data access"): in hand-written SQL,
 * through drizzle's `sql` or a postgres.js template alike, a list of values is ONE
 * parameter, a Postgres array literal built here and cast where it is used:
 * `= any(${uuidArray(ids)}::uuid[])`, `unnest(${textArray(keys)}::text[])`.
 * One parameter keeps one statement text (and plan) whatever the list's length, and
 * `= any(array)` reads rows through the index however small or large the table is,
 * where a JSON list joined with `in (select …)` was hash-joined against a full scan.
 * Drizzle's `sql` would expand a JS array into one parameter per element, and
 * postgres.js would serialise it itself: neither is used for lists. In the drizzle
 * builder, a list built at run time goes through `anyUuid`/`anyId`/`anyText` below;
 * `inArray` stays for a fixed list written in the code (`["WAITING", "OPEN"]`).
 */

/** Integer ids (`{1,2,3}`), to cast with `::bigint[]` or `::int[]`. */
export function idArray(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw bug(`Not an integer id: ${id}`);
  return `{${ids.join(",")}}`;
}

/** Uuids (`{…,…}`), to cast with `::uuid[]`. Only for values already known to be uuids. */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw bug(`not a uuid: ${id}`);
  }
  return `{${ids.join(",")}}`;
}

/** Strings (`{"a","b"}`), quoted and escaped, to cast with `::text[]`. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** The builder's `column = any(uuid[])`, for a list of uuids built at run time. */
export function anyUuid(column: SQLWrapper, ids: readonly string[]): SQL {
  return sql`${column} = any(${uuidArray(ids)}::uuid[])`;
}

/** The builder's `column = any(bigint[])`, for a list of integer ids built at run time. */
export function anyId(column: SQLWrapper, ids: readonly number[]): SQL {
  return sql`${column} = any(${idArray(ids)}::bigint[])`;
}

/** The builder's `column = any(text[])`, for a list of strings built at run time. */
export function anyText(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} = any(${textArray(values)}::text[])`;
}
