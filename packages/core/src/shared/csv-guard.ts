/**
 * Leading characters that make a spreadsheet read a cell as a formula (CSV
 * injection, OWASP): `=`, `+`, `-`, `@`, and TAB and CR, which Excel and
 * LibreOffice skip before looking for one. The reports export applies the
 * same list in SQL (reports/export-query.ts `textCell`).
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** `s` prefixed with `'` when it starts like a formula, so a spreadsheet shows it as text. */
export function guardFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}
