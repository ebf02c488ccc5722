/** What a department's texts may say: {{nome}} (the customer), {{operador}}, {{protocolo}} (conversation). */
export type TextVariables = { nome?: string | null; operador?: string | null; protocolo?: string | null };

/** Fills {{nome}}, {{operador}} and {{protocolo}} (spaces and case inside the braces do not matter); others stay. */
export function renderAutoText(template: string, vars: TextVariables): string {
  return template
    .replace(/\{\{\s*(nome|operador|protocolo)\s*\}\}/gi, (_m, name: string) => {
      const v = vars[name.toLowerCase() as keyof TextVariables];
      return v?.trim() ? v.trim() : "";
    })
    .replace(/[ \t]+([,.!?])/g, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}
