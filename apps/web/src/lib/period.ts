const TZ = "America/Sao_Paulo";
const dayFmt = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" });

/** Today (or `daysAgo` days before) as YYYY-MM-DD in São Paulo, the reports' calendar. */
export function spDay(daysAgo = 0, from = Date.now()): string {
  return dayFmt.format(new Date(from - daysAgo * 86_400_000));
}

/** Start of a São Paulo day as a Date (UTC-3; Brazil has had no daylight saving since 2019). */
export function spDayStart(day: string): Date {
  return new Date(`${day}T00:00:00-03:00`);
}

/** "12/03" from "2025-03-12". */
export function shortDay(day: string): string {
  const [, m, d] = day.split("-");
  return `${d}/${m}`;
}
