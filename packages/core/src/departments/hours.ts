import type { DepartmentHours } from "@elsehu/db";
import { localParts } from "../campaigns/zoned-time";

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Whether a department with these hours is open at `at`, in `timeZone`. No
 * hours: always open. A holiday closes the whole day; otherwise the weekday's
 * intervals count, open inclusive and close exclusive.
 */
export function isOpenAt(hours: DepartmentHours | null, at: Date, timeZone: string): boolean {
  if (!hours) return true;
  const p = localParts(at, timeZone);
  const day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  if (hours.holidays.includes(day)) return false;
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  return hours.weekly.some((h) => h.day === weekday && h.open <= time && time < h.close);
}
