import type { TransactionSql } from "postgres";
import type { EventPayloads } from "../events/catalog";
import { publishEvent } from "../events/publish";
import { idArray, textArray } from "../shared/sql-arrays";
import {
  pgArrayElement as element,
  mergeDuplicates,
  type PreparedRow,
  pgTextArray,
  type RejectedRow,
  searchTextOf,
} from "./prepare-row";

export type BatchResult = { imported: number; updated: number; invalid: number; sawExisting: boolean };

/**
 * Writes one batch of rows, six array parameters whatever the batch size. Keys
 * not in the table yet go in with a plain `insert … select from unnest(…)` (no
 * speculative insertion, which costs about a third more); an existing contact only
 * gets what it lacks: name and email if empty, new tags, new custom-field keys.
 *
 * `probe: false` (the batches before found no existing contact) skips looking the
 * keys up and inserts them all; a key that exists after all (or was inserted by
 * someone else meanwhile) makes that insert fail, and the batch is then redone
 * with the lookup, so the outcome is the same.
 */
export async function upsertContacts(
  tx: TransactionSql,
  rows: PreparedRow[],
  opts: { probe: boolean } = { probe: true },
): Promise<BatchResult> {
  const { unique, merged } = mergeDuplicates(rows);
  if (unique.length === 0) return { imported: 0, updated: merged, invalid: 0, sawExisting: false };
  // A stable order keeps two concurrent imports from deadlocking on the same contacts.
  unique.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const result = (imported: number, sawExisting: boolean) => ({
    imported,
    updated: unique.length - imported + merged,
    invalid: 0,
    sawExisting,
  });
  if (!opts.probe) {
    const imported = await insertFreshOrNull(tx, unique);
    if (imported !== null) return result(imported, false);
  }
  const found = await tx<{ phone_key: string }[]>`
    select phone_key from contacts where phone_key = any(${textArray(unique.map((r) => r.key))}::text[])`;
  const known = new Set(found.map((r) => r.phone_key));
  const fresh = known.size === 0 ? unique : unique.filter((r) => !known.has(r.key));
  const existing = known.size === 0 ? [] : unique.filter((r) => known.has(r.key));
  let imported = 0;
  if (fresh.length > 0) {
    const n = await insertFreshOrNull(tx, fresh);
    if (n === null) existing.push(...fresh);
    else imported = n;
  }
  if (existing.length > 0) imported += await upsert(tx, existing);
  return result(imported, known.size > 0);
}

/** Plain insert in a savepoint; null when a key already exists (nothing of it is kept). */
async function insertFreshOrNull(tx: TransactionSql, rows: PreparedRow[]): Promise<number | null> {
  try {
    return await tx.savepoint((sp) => insertFresh(sp, rows));
  } catch (err) {
    if ((err as { code?: string }).code !== "23505") throw err;
    return null;
  }
}

/**
 * The batch as six Postgres array literals, one per column, built here in one
 * pass: cheaper than letting the driver serialise six arrays element by element.
 */
function columnsOf(rows: PreparedRow[]) {
  const cols = { key: "", name: "", email: "", tags: "", custom: "", search: "" };
  let sep = "";
  for (const r of rows) {
    cols.key += sep + r.key; // E.164 digits: nothing to quote
    cols.name += sep + element(r.name);
    cols.email += sep + element(r.email);
    cols.tags += sep + (r.tags.length === 0 ? EMPTY : element(pgTextArray(r.tags)));
    cols.custom += sep + (isEmpty(r.custom) ? EMPTY : element(JSON.stringify(r.custom)));
    // Without the phone digits: Postgres appends the key (the E.164 digits), and the E.164 phone
    // itself is '+' || key, so neither travels twice.
    cols.search += sep + element(searchTextOf({ ...r, e164: null }));
    sep = ",";
  }
  for (const k of Object.keys(cols) as (keyof typeof cols)[]) cols[k] = `{${cols[k]}}`;
  return cols;
}

/** An empty text[] or JSON object, as one quoted element. */
const EMPTY = '"{}"';

function isEmpty(o: Record<string, string>): boolean {
  for (const _ in o) return false;
  return true;
}

/** `insert into contacts … select … from unnest(…)`: the batch as contact rows (a query fragment). */
function insertRows(tx: TransactionSql, rows: PreparedRow[]) {
  const cols = columnsOf(rows);
  return tx`
    insert into contacts as c (phone, phone_key, name, email, tags, custom_fields, search_text)
    select '+' || u.key, u.key, u.name, u.email, u.tags::text[], u.custom::jsonb, u.search || u.key
    from unnest(${cols.key}::text[], ${cols.name}::text[], ${cols.email}::text[],
                ${cols.tags}::text[], ${cols.custom}::text[], ${cols.search}::text[])
      as u(key, name, email, tags, custom, search)`;
}

async function insertFresh(tx: TransactionSql, rows: PreparedRow[]): Promise<number> {
  return (await tx`${insertRows(tx, rows)}`).count;
}

/** Insert-or-fill; `xmax = 0` tells a fresh insert from an update, and only the count comes back. */
async function upsert(tx: TransactionSql, rows: PreparedRow[]): Promise<number> {
  const [counts] = await tx<{ inserted: number }[]>`
    with written as (
      ${insertRows(tx, rows)}
      on conflict (phone_key) do update set
        name = coalesce(c.name, excluded.name),
        email = coalesce(c.email, excluded.email),
        tags = case when excluded.tags = '{}' then c.tags
                    else array(select distinct t from unnest(c.tags || excluded.tags) t) end,
        custom_fields = excluded.custom_fields || c.custom_fields,
        search_text = concat_ws(E'\t',
          split_part(case when c.name is null then excluded.search_text else c.search_text end, E'\t', 1),
          split_part(case when c.email is null then excluded.search_text else c.search_text end, E'\t', 2),
          split_part(c.search_text, E'\t', 3)),
        updated_at = now()
      returning (c.xmax = 0) as inserted)
    select count(*) filter (where inserted)::int as inserted from written`;
  return counts?.inserted ?? 0;
}

/** Error-report rows; (import_id, line) is unique so a resumed run never writes one twice. */
export async function insertErrors(tx: TransactionSql, importId: string, errors: RejectedRow[]): Promise<void> {
  if (errors.length === 0) return;
  await tx`
    insert into import_errors (import_id, line, value, reason)
    select ${importId}::uuid, u.line, u.value, u.reason
    from unnest(${idArray(errors.map((e) => e.line))}::int[], ${textArray(errors.map((e) => e.value))}::text[],
                ${textArray(errors.map((e) => e.reason))}::text[]) as u(line, value, reason)
    on conflict (import_id, line) do nothing`;
}

/** `import.progress` for staff, in the caller's transaction (the NOTIFY fires at commit). */
export async function publishProgress(tx: TransactionSql, payload: EventPayloads["import.progress"]): Promise<void> {
  await publishEvent(tx, { kind: "import.progress", audience: { to: "STAFF" }, payload });
}
