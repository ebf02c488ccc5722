import type { TransactionSql } from "postgres";
import { EVENTS_CHANNEL } from "../events/publish";
import { mergeDuplicates, type PreparedRow, pgTextArray, type RejectedRow, searchTextOf } from "./prepare-row";

export type BatchResult = { imported: number; updated: number; invalid: number };

/**
 * Upserts one batch of rows with a single `insert … select from unnest(…)`
 * (seven array parameters, whatever the batch size). An existing contact only
 * gets what it lacks: name and email if empty, new tags, new custom-field keys.
 * `xmax = 0` tells a fresh insert from an update.
 */
export async function upsertContacts(tx: TransactionSql, rows: PreparedRow[]): Promise<BatchResult> {
  const { unique, merged } = mergeDuplicates(rows);
  if (unique.length === 0) return { imported: 0, updated: merged, invalid: 0 };
  // A stable order keeps two concurrent imports from deadlocking on the same contacts.
  unique.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const cols = {
    phone: [] as string[],
    key: [] as string[],
    name: [] as (string | null)[],
    email: [] as (string | null)[],
    tags: [] as string[],
    custom: [] as string[],
    search: [] as string[],
  };
  for (const r of unique) {
    cols.phone.push(r.e164);
    cols.key.push(r.key);
    cols.name.push(r.name);
    cols.email.push(r.email);
    cols.tags.push(pgTextArray(r.tags));
    cols.custom.push(JSON.stringify(r.custom));
    cols.search.push(searchTextOf(r));
  }
  const result = await tx<{ inserted: boolean }[]>`
    insert into contacts as c (phone, phone_key, name, email, tags, custom_fields, search_text)
    select u.phone, u.key, u.name, u.email, u.tags::text[], u.custom::jsonb, u.search
    from unnest(${cols.phone}::text[], ${cols.key}::text[], ${cols.name}::text[], ${cols.email}::text[],
                ${cols.tags}::text[], ${cols.custom}::text[], ${cols.search}::text[])
      as u(phone, key, name, email, tags, custom, search)
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
    returning (c.xmax = 0) as inserted`;
  const imported = result.filter((r) => r.inserted).length;
  return { imported, updated: unique.length - imported + merged, invalid: 0 };
}

/** Error-report rows; (import_id, line) is unique so a resumed run never writes one twice. */
export async function insertErrors(tx: TransactionSql, importId: string, errors: RejectedRow[]): Promise<void> {
  if (errors.length === 0) return;
  await tx`
    insert into import_errors (import_id, line, value, reason)
    select ${importId}::uuid, u.line, u.value, u.reason
    from unnest(${errors.map((e) => e.line)}::int[], ${errors.map((e) => e.value)}::text[],
                ${errors.map((e) => e.reason)}::text[]) as u(line, value, reason)
    on conflict (import_id, line) do nothing`;
}

/** `import.progress` for staff, in the caller's transaction (the NOTIFY fires at commit). */
export async function publishProgress(tx: TransactionSql, payload: Record<string, unknown>): Promise<void> {
  const [row] = await tx<{ id: string }[]>`
    insert into events (kind, audience, payload) values ('import.progress', 'STAFF', ${JSON.stringify(payload)}::jsonb)
    returning id::text`;
  if (row) await tx`select pg_notify(${EVENTS_CHANNEL}, ${row.id})`;
}
