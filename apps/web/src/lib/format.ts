const TZ = "America/Sao_Paulo";

const dateTime = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "short", timeZone: TZ });

/** Dates come over the wire as ISO strings (no transformer); shown in São Paulo time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? "—" : dateTime.format(d);
}

/** "3 min", "1 h 05 min": compact durations for timers and boards. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, "0")} min`;
}

export const ROLE_LABEL = { ADMIN: "Administrador", SUPERVISOR: "Supervisor", OPERATOR: "Operador" } as const;
export type Role = keyof typeof ROLE_LABEL;

const timeOnly = new Intl.DateTimeFormat("pt-BR", { timeStyle: "short", timeZone: TZ });
const dayOnly = new Intl.DateTimeFormat("pt-BR", { day: "2-digit", month: "2-digit", timeZone: TZ });

/** "14:05" today, "12/03 14:05" on another day (São Paulo time). */
export function formatWhen(value: string | Date | null | undefined, now = Date.now()): string {
  if (!value) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return "—";
  const sameDay = dayOnly.format(d) === dayOnly.format(new Date(now));
  return sameDay ? timeOnly.format(d) : `${dayOnly.format(d)} ${timeOnly.format(d)}`;
}

/** "+55 11 91234-5678" for Brazilian E.164 numbers; others as stored. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const m = phone.match(/^\+55(\d{2})(\d{4,5})(\d{4})$/);
  return m ? `+55 ${m[1]} ${m[2]}-${m[3]}` : phone;
}

/** Seconds (report metrics) as "2 min 05 s", "1 h 10 min" or "—". */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return "—";
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s`;
  return formatDuration(s * 1000);
}

export const CONVERSATION_STATUS = {
  WAITING: "Na fila",
  OPEN: "Em atendimento",
  CLOSED: "Encerrada",
  EXPIRED: "Expirada",
} as const;

export const PRESENCE_LABEL = { ONLINE: "Online", PAUSED: "Pausa", OFFLINE: "Offline" } as const;

const pct = new Intl.NumberFormat("pt-BR", { style: "percent", maximumFractionDigits: 1 });
export const formatShare = (share: number) => pct.format(share);
export const formatInt = (n: number) => n.toLocaleString("pt-BR");
