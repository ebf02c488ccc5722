import { bug } from "./errors";
/**
 * Integer ids as one Postgres array literal (`{1,2,3}`), to pass as a text parameter
 * and cast (`= any(${idArray(ids)}::bigint[])`): unlike `in (select … from a JSON
 * list)`, the planner then reads the rows through the primary key however small or
 * large the table is, where the JSON form was hash-joined against a full scan.
 */
export function idArray(ids: readonly number[]): string {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw bug(`Not an integer id: ${id}`);
  return `{${ids.join(",")}}`;
}

/** Strings as one Postgres array literal (`{"a","b"}`), quoted and escaped, to cast with `::text[]`. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}
