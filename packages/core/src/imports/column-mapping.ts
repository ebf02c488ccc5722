import { z } from "zod";
import { foldText } from "../contacts/search-text";

/** Which CSV header feeds which contact field; every other column becomes a custom field. */
export const ColumnMapping = z.object({
  phone: z.string().min(1).max(200),
  name: z.string().min(1).max(200).optional(),
  email: z.string().min(1).max(200).optional(),
  tags: z.string().min(1).max(200).optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

const GUESSES: Record<keyof ColumnMapping, string[]> = {
  phone: ["telefone", "celular", "whatsapp", "phone", "mobile", "fone", "tel", "numero", "number", "cel", "contato"],
  name: ["nome", "name", "nome completo", "full name", "cliente", "customer", "razao social"],
  email: ["email", "e-mail", "mail", "correio eletronico"],
  tags: ["tags", "tag", "etiquetas", "etiqueta", "marcadores", "grupos", "labels", "segmento"],
};

const norm = (h: string) =>
  foldText(h)
    .replace(/[_\s]+/g, " ")
    .trim();

/** Guesses the mapping from headers in Portuguese or English: exact names first, then prefixes. */
export function guessMapping(headers: string[]): Partial<ColumnMapping> {
  const out: Partial<ColumnMapping> = {};
  const used = new Set<string>();
  for (const pass of ["exact", "prefix"] as const) {
    for (const field of Object.keys(GUESSES) as Array<keyof ColumnMapping>) {
      if (out[field]) continue;
      const hit = headers.find((h) => {
        if (used.has(h)) return false;
        const n = norm(h);
        return GUESSES[field].some((g) => (pass === "exact" ? n === g : n.startsWith(g)));
      });
      if (hit) {
        out[field] = hit;
        used.add(hit);
      }
    }
  }
  return out;
}

/** Column indexes of a mapping over the header row; the rest are custom fields. */
export function resolveColumns(headers: string[], mapping: ColumnMapping) {
  const idx = (h: string | undefined) => (h === undefined ? -1 : headers.indexOf(h));
  const fixed = {
    phone: idx(mapping.phone),
    name: idx(mapping.name),
    email: idx(mapping.email),
    tags: idx(mapping.tags),
  };
  const taken = new Set(Object.values(fixed));
  const custom = headers.map((h, i) => ({ key: h.trim(), i })).filter((c) => !taken.has(c.i) && c.key !== "");
  return { ...fixed, custom };
}
