import type { TemplateInput } from "@elsehu/providers";
import { DomainError } from "../shared/errors";
import type { TemplateRow } from "./template-view";

/**
 * Template variables: `{{1}}`, `{{2}}` (positional, Meta's default) or `{{nome}}`
 * (named, Meta's NAMED parameter format). They may appear in the body and in any
 * string of the Meta components (e.g. `"text": "{{1}}"` in a body parameter or a
 * URL button suffix), so a send substitutes the same values everywhere.
 */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\}\}/g;

export function variablesInText(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1];
    if (name && !found.includes(name)) found.push(name);
  }
  return found;
}

/** Every string inside a JSON value (Meta components), depth first. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (typeof value === "object" && value !== null) for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** Variables of a template, body first then components, in order of first appearance. */
export function templateVariables(body: string, components: unknown[] | null | undefined): string[] {
  const names = variablesInText(body);
  for (const s of stringsIn(components ?? [])) {
    for (const name of variablesInText(s)) if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Meta refuses templates that mix positional and named parameters, and positional
 * ones must be numbered 1..n without gaps.
 */
export function checkVariableNames(names: string[]): void {
  const positional = names.filter((n) => /^\d+$/.test(n));
  if (positional.length > 0 && positional.length < names.length) {
    throw new DomainError("VARIABLES_MIXED", "Não misture variáveis numeradas ({{1}}) e nomeadas ({{nome}})", {
      field: "body",
      variables: names,
    });
  }
  const numbers = positional.map(Number).sort((a, b) => a - b);
  const missing = numbers.length === 0 ? [] : range(1, numbers.at(-1) ?? 0).filter((n) => !numbers.includes(n));
  if (missing.length > 0) {
    throw new DomainError("VARIABLES_GAP", `Variáveis numeradas sem lacunas: falta ${missing.map((n) => `{{${n}}}`)}`, {
      field: "body",
      missing: missing.map(String),
    });
  }
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/** Replaces every `{{var}}` with its value; callers check coverage first. */
export function renderText(text: string, values: Record<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => values[name] ?? whole);
}

/** Deep copy of the Meta components with every placeholder substituted. */
export function renderComponents(components: unknown[], values: Record<string, string>): unknown[] {
  const visit = (value: unknown): unknown => {
    if (typeof value === "string") return renderText(value, values);
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    }
    return value;
  };
  return components.map(visit);
}

/** What an adapter sends for a template with these values (campaigns and the chat alike). */
export function templateInput(template: TemplateRow, values: Record<string, string>): TemplateInput {
  return {
    name: template.metaName ?? template.name,
    language: template.metaLanguage ?? "pt_BR",
    components: template.metaComponents ? renderComponents(template.metaComponents, values) : undefined,
    // Evolution has no templates: it sends this text.
    renderedBody: renderText(template.body, values),
  };
}

/** Names that `values` lacks and names it has that the template does not know. */
export function coverage(variables: string[], given: string[]) {
  return {
    missing: variables.filter((v) => !given.includes(v)),
    unknown: given.filter((g) => !variables.includes(g)),
  };
}
