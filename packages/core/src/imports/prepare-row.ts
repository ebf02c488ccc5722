import { normalizePhone } from "../contacts/phone";
import { buildSearchText } from "../contacts/search-text";
import { cleanTags } from "../contacts/shape";
import type { resolveColumns } from "./column-mapping";

export type Columns = ReturnType<typeof resolveColumns>;

export type PreparedRow = {
  line: number;
  e164: string;
  key: string;
  name: string | null;
  email: string | null;
  tags: string[];
  custom: Record<string, string>;
};
export type RejectedRow = { line: number; value: string; reason: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Text without NUL characters: Postgres text cannot hold them, and one stray NUL (a
 * byte 0 in the file, or 0x0000 in UTF-16) made every attempt of its batch fail,
 * leaving the import RUNNING until its job gave up.
 */
export const withoutNul = (v: string) => (v.includes("\0") ? v.replaceAll("\0", "") : v);
/** One cell, trimmed, without NUL characters. */
const cell = (fields: string[], i: number) => withoutNul(fields[i] ?? "").trim();

/** One CSV record -> a contact to upsert, or the reason it is rejected (for the error report). */
export function prepareRow(fields: string[], line: number, cols: Columns, region: string): PreparedRow | RejectedRow {
  const rawPhone = cell(fields, cols.phone);
  if (rawPhone === "") return { line, value: "", reason: "missing phone" };
  const phone = normalizePhone(rawPhone, region);
  if (!phone) return { line, value: rawPhone.slice(0, 200), reason: "invalid phone number" };
  const name = cell(fields, cols.name).slice(0, 200) || null;
  const emailRaw = cell(fields, cols.email).toLowerCase();
  const tagsRaw = cell(fields, cols.tags);
  const custom: Record<string, string> = {};
  for (const c of cols.custom) {
    const v = cell(fields, c.i);
    if (v !== "") custom[c.key] = v.slice(0, 2000);
  }
  return {
    line,
    e164: phone.e164,
    key: phone.key,
    name,
    // A malformed email does not cost the row its phone: the email is left out.
    email: emailRaw.length <= 254 && EMAIL.test(emailRaw) ? emailRaw : null,
    tags: tagsRaw
      ? cleanTags(
          tagsRaw
            .split(/[,;|]/)
            .map((t) => t.trim().slice(0, 50))
            .filter(Boolean),
        )
      : [],
    custom,
  };
}

/** Rows of one batch with the same phone become one (first value wins, tags united). */
export function mergeDuplicates(rows: PreparedRow[]): { unique: PreparedRow[]; merged: number } {
  const byKey = new Map<string, PreparedRow>();
  for (const r of rows) {
    const first = byKey.get(r.key);
    if (!first) {
      byKey.set(r.key, r);
      continue;
    }
    first.name ??= r.name;
    first.email ??= r.email;
    first.tags = cleanTags([...first.tags, ...r.tags]);
    first.custom = { ...r.custom, ...first.custom };
  }
  return { unique: [...byKey.values()], merged: rows.length - byKey.size };
}

/** Postgres text[] literal, for passing one array per row through unnest. */
export function pgTextArray(items: string[]): string {
  return `{${items.map(pgArrayElement).join(",")}}`;
}

const NEEDS_ESCAPE = /["\\]/;

/** One element of a text[] literal: quoted, with `"` and `\` escaped; null is NULL. */
export function pgArrayElement(v: string | null): string {
  if (v === null) return "NULL";
  return NEEDS_ESCAPE.test(v) ? `"${v.replace(/["\\]/g, "\\$&")}"` : `"${v}"`;
}

export const searchTextOf = (r: Pick<PreparedRow, "name" | "email"> & { e164: string | null }) =>
  buildSearchText({ name: r.name, email: r.email, phone: r.e164 });
