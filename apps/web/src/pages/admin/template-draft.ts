import type { In } from "../../lib/types";

/** Same variable syntax as the server: {{1}} or {{nome}}. */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\}\}/g;

/** The template's variable names, each once, in order of first use. */
export function variablesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE)) if (m[1] && !out.includes(m[1])) out.push(m[1]);
  return out;
}

export type Draft = In["templates"]["create"];
/** Meta components as typed in the JSON box; the server validates their shape. */
export type Components = NonNullable<NonNullable<Draft["meta"]>["components"]>;
