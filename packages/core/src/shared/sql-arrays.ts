import { bug } from "./errors";
/**
 * A Postgres array literal for uuids, to pass a whole list as one parameter
 * (`${uuidArray(ids)}::uuid[]`): drizzle's `sql` would otherwise expand a JS
 * array into one parameter per element. Only for values already known to be uuids.
 */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw bug(`not a uuid: ${id}`);
  }
  return `{${ids.join(",")}}`;
}
