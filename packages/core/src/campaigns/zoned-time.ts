/**
 * Wall-clock helpers for an IANA time zone, built on Intl only (no tz database
 * dependency). Sending windows and the daily cap are defined in local time.
 */

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function localParts(at: Date, timeZone: string): Parts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return {
    year: out.year ?? 0,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** The instant whose local wall time in `timeZone` is the given one (two passes settle DST offsets). */
export function zonedToUtc(p: Omit<Parts, "second"> & { second?: number }, timeZone: string): Date {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second ?? 0);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const seen = localParts(new Date(guess), timeZone);
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += wall - seenWall;
  }
  return new Date(guess);
}

/** "08:30" -> minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Local midnight that starts the day containing `at`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const p = localParts(at, timeZone);
  return zonedToUtc({ ...p, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** Local midnight that starts the next day. */
export function startOfNextLocalDay(at: Date, timeZone: string): Date {
  const p = localParts(at, timeZone);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return zonedToUtc(
    { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 },
    timeZone,
  );
}

export type SendWindow = { start: string; end: string; timeZone: string };

/** Inside [start, end) local time; a window may wrap midnight (22:00–06:00). */
export function insideWindow(at: Date, w: SendWindow): boolean {
  const p = localParts(at, w.timeZone);
  const t = p.hour * 60 + p.minute;
  const s = minutesOf(w.start);
  const e = minutesOf(w.end);
  if (s === e) return true;
  return s < e ? t >= s && t < e : t >= s || t < e;
}

/** The next instant at or after `at` when the window opens. */
export function nextWindowOpening(at: Date, w: SendWindow): Date {
  const p = localParts(at, w.timeZone);
  const s = minutesOf(w.start);
  const today = zonedToUtc({ ...p, hour: Math.floor(s / 60), minute: s % 60, second: 0 }, w.timeZone);
  if (today.getTime() > at.getTime()) return today;
  const tomorrow = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return zonedToUtc(
    {
      year: tomorrow.getUTCFullYear(),
      month: tomorrow.getUTCMonth() + 1,
      day: tomorrow.getUTCDate(),
      hour: Math.floor(s / 60),
      minute: s % 60,
    },
    w.timeZone,
  );
}
