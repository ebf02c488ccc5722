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
