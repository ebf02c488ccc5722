import { DomainError } from "../shared/errors";

/**
 * Where each template variable of a campaign takes its value, one string per variable:
 *   "csv:<column>"           a column of the uploaded CSV (header name, case-insensitive)
 *   "contact:name" | "contact:email" | "contact:phone" | "contact:custom.<field>"
 *   "text:<literal>"         the same text for everyone
 */
export type VariableSource =
  | { from: "csv"; column: string }
  | { from: "contact"; field: "name" | "email" | "phone" | `custom.${string}` }
  | { from: "text"; value: string };

export function parseSource(variable: string, raw: string): VariableSource {
  const i = raw.indexOf(":");
  const kind = i < 0 ? raw : raw.slice(0, i);
  const rest = i < 0 ? "" : raw.slice(i + 1);
  if (kind === "csv" && rest.trim()) return { from: "csv", column: rest.trim().toLowerCase() };
  if (kind === "contact" && (["name", "email", "phone"].includes(rest) || /^custom\.[\w.-]+$/.test(rest))) {
    return { from: "contact", field: rest as "name" };
  }
  if (kind === "text") return { from: "text", value: rest };
  throw new DomainError(
    "VARIABLE_SOURCE_INVALID",
    `Origem inválida para {{${variable}}}: use csv:<coluna>, contact:name|email|phone|custom.<campo> ou text:<valor>`,
    { field: `variableMapping.${variable}`, variable },
  );
}

export type ContactValues = {
  name: string | null;
  email: string | null;
  phone: string | null;
  customFields: Record<string, string>;
};

/**
 * The values of one recipient, resolved once when the recipient is added, so a
 * send needs no lookup and the results export shows exactly what was sent.
 */
export function resolveValues(
  mapping: Record<string, string>,
  row: { csv?: Record<string, string>; contact?: ContactValues },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [variable, raw] of Object.entries(mapping)) {
    const source = parseSource(variable, raw);
    if (source.from === "text") out[variable] = source.value;
    else if (source.from === "csv") out[variable] = row.csv?.[source.column] ?? "";
    else {
      const c = row.contact;
      const f = source.field;
      out[variable] = f.startsWith("custom.")
        ? (c?.customFields[f.slice(7)] ?? "")
        : ((c?.[f as "name" | "email" | "phone"] ?? "") as string);
    }
  }
  return out;
}

/** CSV columns the mapping needs (lower-cased). */
export function csvColumns(mapping: Record<string, string>): string[] {
  return Object.entries(mapping)
    .map(([v, raw]) => parseSource(v, raw))
    .flatMap((s) => (s.from === "csv" ? [s.column] : []));
}
