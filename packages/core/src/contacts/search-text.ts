/** Lower-cased, accent-free text: "João" -> "joao". The same fold is applied to queries. */
export function foldText(s: string): string {
  // Printable ASCII has no accents to strip (most emails, many names): skip the normalisation.
  if (ASCII.test(s)) return s.toLowerCase();
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

const ASCII = /^[ -~]*$/;

/**
 * `contacts.search_text`: folded name, folded email and phone digits, kept by the
 * app so a single trigram index answers name, email and phone searches. The three
 * parts are tab-separated (a tab never survives in a part) so SQL can rebuild one
 * part with `split_part` when a CSV import fills a missing name or email.
 */
export function buildSearchText(c: { name?: string | null; email?: string | null; phone?: string | null }): string {
  const part = (s: string | null | undefined) => (s ? foldText(s).replace(/\s+/g, " ") : "");
  return `${part(c.name)}\t${part(c.email)}\t${c.phone ? c.phone.replace(/\D/g, "") : ""}`;
}
