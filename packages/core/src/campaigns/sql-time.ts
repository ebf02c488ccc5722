/**
 * drizzle installs identity (de)serialisers for timestamps on the shared postgres.js
 * client, so raw `ctx.sql` queries must send ISO strings and parse what they read.
 */
export const iso = (d: Date): string => d.toISOString();

export function toDate(value: Date | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date
    ? value
    : new Date(value.includes("T") || value.endsWith("Z") ? value : `${value.replace(" ", "T")}Z`);
}
