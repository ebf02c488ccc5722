import { useState } from "react";
import { TextField } from "../../ui/field";

export type Hours = { weekly: Array<{ day: number; open: string; close: string }>; holidays: string[] };
const DAYS = ["Domingo", "Segunda", "Terça", "Quarta", "Quinta", "Sexta", "Sábado"];

/** One interval per weekday (empty: closed) and whole-day holidays; no hours at all: always open. */
export function HoursFields({ value, onChange }: { value: Hours | null; onChange: (h: Hours | null) => void }) {
  const [holiday, setHoliday] = useState("");
  const always = value === null;
  const dayOf = (d: number) => value?.weekly.find((w) => w.day === d);
  const setDay = (d: number, patch: { open?: string; close?: string } | null) => {
    const base = value ?? { weekly: [], holidays: [] };
    const others = base.weekly.filter((w) => w.day !== d);
    const before = dayOf(d) ?? { day: d, open: "09:00", close: "18:00" };
    const weekly = patch === null ? others : [...others, { ...before, ...patch }].sort((a, b) => a.day - b.day);
    onChange({ ...base, weekly });
  };
  return (
    <fieldset className="stack">
      <legend>Horário de atendimento</legend>
      <div className="field field-check">
        <input
          id="hours-always"
          type="checkbox"
          checked={always}
          onChange={(e) =>
            onChange(
              e.target.checked
                ? null
                : {
                    weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "18:00" })),
                    holidays: [],
                  },
            )
          }
        />
        <label htmlFor="hours-always">Sempre aberto (24 horas, todos os dias)</label>
      </div>
      {!always &&
        DAYS.map((name, d) => {
          const h = dayOf(d);
          return (
            <div className="hours-row" key={name}>
              <div className="field field-check">
                <input
                  id={`day-${d}`}
                  type="checkbox"
                  checked={Boolean(h)}
                  onChange={(e) => setDay(d, e.target.checked ? {} : null)}
                />
                <label htmlFor={`day-${d}`}>{name}</label>
              </div>
              {h && (
                <>
                  <TextField
                    label={`Abre (${name})`}
                    type="time"
                    value={h.open}
                    onChange={(e) => setDay(d, { open: e.target.value })}
                  />
                  <TextField
                    label={`Fecha (${name})`}
                    type="time"
                    value={h.close === "24:00" ? "23:59" : h.close}
                    onChange={(e) => setDay(d, { close: e.target.value })}
                  />
                </>
              )}
            </div>
          );
        })}
      {!always && value && (
        <div className="stack">
          <div className="menu-option">
            <TextField label="Feriado" type="date" value={holiday} onChange={(e) => setHoliday(e.target.value)} />
            <span />
            <button
              type="button"
              className="btn btn-small"
              disabled={!holiday || value.holidays.includes(holiday)}
              onClick={() => {
                onChange({ ...value, holidays: [...value.holidays, holiday].sort() });
                setHoliday("");
              }}
            >
              Adicionar feriado
            </button>
          </div>
          {value.holidays.length > 0 && (
            <ul className="plain-list" aria-label="Feriados">
              {value.holidays.map((day) => (
                <li key={day}>
                  {day.split("-").reverse().join("/")}{" "}
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`Remover feriado ${day.split("-").reverse().join("/")}`}
                    onClick={() => onChange({ ...value, holidays: value.holidays.filter((x) => x !== day) })}
                  >
                    Remover
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </fieldset>
  );
}
