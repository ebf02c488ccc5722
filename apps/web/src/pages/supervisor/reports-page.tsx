import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatInt, formatSeconds } from "../../lib/format";
import { spDay } from "../../lib/period";
import { useDebounced } from "../../lib/use-debounced";
import { ErrorBox, Loading } from "../../ui/feedback";
import { SelectField, TextField } from "../../ui/field";
import { DayChart } from "./day-chart";
import { Stat } from "./report-stat";
import { DepartmentTable, OperatorTable, TabulationTable } from "./report-tables";
import { useLiveInvalidate } from "./use-staff-live";

const PRESETS = [
  { label: "Hoje", days: 0 },
  { label: "7 dias", days: 6 },
  { label: "30 dias", days: 29 },
] as const;

type MetricKey = "waiting" | "handling" | "firstResponse" | "duration";
const METRIC_KEYS: MetricKey[] = ["waiting", "handling", "firstResponse", "duration"];

/**
 * Supervisão › Relatórios: counts, the four times, per day, per department, per operator, per tabulation,
 * CSV export; by tag and department (a supervisor limited to some departments is offered only his).
 */
export default function ReportsPage() {
  const api = useApi();
  const [from, setFrom] = useState(() => spDay(6));
  const [to, setTo] = useState(() => spDay(0));
  const [tagText, setTagText] = useState("");
  const tag = useDebounced(tagText.trim().toLowerCase());
  const [departmentId, setDepartmentId] = useState("");
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const period = { from, to, ...(tag ? { tag } : {}), ...(departmentId ? { departmentId } : {}) };
  const departments = useQuery({
    queryKey: ["departments.list", "reports"],
    queryFn: () => api.departments.list.query({ includeArchived: true }),
    staleTime: 60_000,
  });
  const defs = useQuery({
    queryKey: ["reports.definitions"],
    queryFn: () => api.reports.definitions.query(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const summary = useQuery({
    queryKey: ["reports.summary", period],
    queryFn: () => api.reports.summary.query(period),
    enabled: valid,
  });
  const byOp = useQuery({
    queryKey: ["reports.byOperator", period],
    queryFn: () => api.reports.byOperator.query(period),
    enabled: valid,
  });
  const byDept = useQuery({
    queryKey: ["reports.byDepartment", period],
    queryFn: () => api.reports.byDepartment.query(period),
    enabled: valid,
  });
  const byTab = useQuery({
    queryKey: ["reports.byTabulation", period],
    queryFn: () => api.reports.byTabulation.query(period),
    enabled: valid,
  });
  // A close or an expiry changes today's numbers: refresh while the page is open.
  useLiveInvalidate(
    ["onConversation"],
    [["reports.summary"], ["reports.byDepartment"], ["reports.byOperator"], ["reports.byTabulation"]],
  );

  const csv =
    `/reports/finished.csv?from=${from}&to=${to}${tag ? `&tag=${encodeURIComponent(tag)}` : ""}` +
    (departmentId ? `&departmentId=${departmentId}` : "");
  const s = summary.data;
  const error = summary.error ?? byDept.error ?? byOp.error ?? byTab.error;

  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Relatórios</h1>
        <div className="export-links">
          <a className="btn" href={valid ? csv : undefined} download aria-disabled={!valid}>
            Exportar CSV
          </a>
          <a className="btn" href={valid ? `${csv}&excel=1` : undefined} download aria-disabled={!valid}>
            Exportar CSV para Excel
          </a>
        </div>
      </header>
      <fieldset className="filters period">
        <legend className="sr-only">Período</legend>
        <TextField label="De" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        <TextField label="Até" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        <TextField
          label="Etiqueta"
          type="search"
          maxLength={30}
          placeholder="todas"
          value={tagText}
          onChange={(e) => setTagText(e.target.value)}
        />
        <SelectField label="Departamento" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
          <option value="">Todos</option>
          {(departments.data ?? []).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {d.archived ? " (arquivado)" : ""}
            </option>
          ))}
        </SelectField>
        <fieldset className="preset-buttons">
          <legend className="sr-only">Períodos prontos</legend>
          {PRESETS.map((p) => (
            <button
              key={p.label}
              type="button"
              className="btn btn-small"
              aria-pressed={from === spDay(p.days) && to === spDay(0)}
              onClick={() => {
                setFrom(spDay(p.days));
                setTo(spDay(0));
              }}
            >
              {p.label}
            </button>
          ))}
        </fieldset>
      </fieldset>
      {!valid && <ErrorBox message="Escolha um período válido: a data inicial não pode ser depois da final." />}
      {error && <ErrorBox message={errorMessage(error)} onRetry={() => void summary.refetch()} />}
      {summary.isPending && valid && <Loading />}
      {s && (
        <>
          <div className="cards" aria-live="polite">
            <Stat label="Encerradas" value={formatInt(s.counts.closed)} testId="closed" />
            <Stat label="Expiradas" value={formatInt(s.counts.expired)} testId="expired" />
            <Stat label="Na fila agora" value={formatInt(s.counts.waitingNow)} testId="waiting" />
            <Stat label="Em atendimento agora" value={formatInt(s.counts.openNow)} testId="open" />
          </div>
          <div className="cards">
            {METRIC_KEYS.map((k) => {
              const d = defs.data?.metrics[k];
              const m = s.closed[k];
              return (
                <Stat
                  key={k}
                  label={d?.label ?? k}
                  tooltip={d?.tooltip}
                  value={formatSeconds(m.avg)}
                  detail={`mediana ${formatSeconds(m.median)} · p90 ${formatSeconds(m.p90)}`}
                />
              );
            })}
          </div>
          <div className="card">
            <h2>Por dia</h2>
            <DayChart series={s.series} />
          </div>
        </>
      )}
      {byDept.data && <DepartmentTable rows={byDept.data} />}
      {byOp.data && <OperatorTable rows={byOp.data} />}
      {byTab.data && <TabulationTable data={byTab.data} />}
    </section>
  );
}
