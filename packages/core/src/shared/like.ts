/**
 * A LIKE/ILIKE pattern matching `q` anywhere, with LIKE's wildcards (`%`,
 * `_`) and its escape character (`\`) in `q` escaped, so a search for "%" or
 * "_" finds that character and not every row. Every search in core builds
 * its pattern here (Postgres's default escape is `\`).
 */
export function containsPattern(q: string): string {
  return `%${escapeLike(q)}%`;
}

/** `q` with `\`, `%` and `_` escaped for a LIKE pattern. */
export function escapeLike(q: string): string {
  return q.replace(/[%_\\]/g, "\\$&");
}
