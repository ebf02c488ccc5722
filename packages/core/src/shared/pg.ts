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
/**
 * Postgres gave up on the statement: statement_timeout (57014, query_canceled) or a session
 * left idle in its transaction too long (25P03). The client is told so, not "internal error".
 */
export const isQueryTimeout = (err: unknown) => sqlState(err) === "57014" || sqlState(err) === "25P03";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * The database is unreachable or going away (connection refused or reset,
 * SQLSTATE class 08, admin/crash shutdown 57P0x): a 503 "try again", not a bug.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state && (state.startsWith("08") || /^57P0[123]$/.test(state))) return true;
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((x) => isDatabaseUnavailable(x))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
