/** Postgres error helpers: postgres.js errors carry the SQLSTATE in `code`. */
function sqlState(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (err: unknown) => sqlState(err) === "23505";
export const isSerializationFailure = (err: unknown) => sqlState(err) === "40001" || sqlState(err) === "40P01";
export const isForeignKeyViolation = (err: unknown) => sqlState(err) === "23503";
