import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatInt, formatSeconds, formatShare } from "../../lib/format";
import { spDay } from "../../lib/period";
import { ErrorBox, Loading } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { DayChart } from "./day-chart";
import { useLiveInvalidate } from "./use-staff-live";

const PRESETS = [
  { label: "Hoje", days: 0 },
  { label: "7 dias", days: 6 },
  { label: "30 dias", days: 29 },
] as const;

type MetricKey = "waiting" | "handling" | "firstResponse" | "duration";
const METRIC_KEYS: MetricKey[] = ["waiting", "handling", "firstResponse", "duration"];

/** Supervisão › Relatórios: counts, the four times, per day, per operator, per tabulation, CSV export. */
export default function ReportsPage() {
  const api = useApi();
  const [from, setFrom] = useState(() => spDay(6));
  const [to, setTo] = useState(() => spDay(0));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const period = { from, to };
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
  const byTab = useQuery({
    queryKey: ["reports.byTabulation", period],
    queryFn: () => api.reports.byTabulation.query(period),
    enabled: valid,
  });
  // A close or an expiry changes today's numbers: refresh while the page is open.
  useLiveInvalidate(["onConversation"], [["reports.summary"], ["reports.byOperator"], ["reports.byTabulation"]]);

  const csv = `/reports/finished.csv?from=${from}&to=${to}`;
  const s = summary.data;
  const error = summary.error ?? byOp.error ?? byTab.error;

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
      {byOp.data && (
        <div className="card">
          <h2>Por operador</h2>
          {byOp.data.length === 0 ? (
            <p className="muted">Nenhuma conversa finalizada no período.</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Operador</th>
                    <th scope="col" className="num">
                      Encerradas
                    </th>
                    <th scope="col" className="num">
                      Expiradas
                    </th>
                    <th scope="col" className="num">
                      Abertas agora
                    </th>
                    <th scope="col" className="num">
                      TME
                    </th>
                    <th scope="col" className="num">
                      TMA
                    </th>
                    <th scope="col" className="num">
                      1ª resposta
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {byOp.data.map((r) => (
                    <tr key={r.operatorId ?? "none"}>
                      <td>{r.operatorName ?? "Sem operador"}</td>
                      <td className="num">{formatInt(r.handled)}</td>
                      <td className="num">{formatInt(r.expired)}</td>
                      <td className="num">{formatInt(r.openNow)}</td>
                      <td className="num">{formatSeconds(r.metrics.waiting.avg)}</td>
                      <td className="num">{formatSeconds(r.metrics.handling.avg)}</td>
                      <td className="num">{formatSeconds(r.metrics.firstResponse.avg)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {byTab.data && (
        <div className="card">
          <h2>Por tabulação</h2>
          {byTab.data.rows.length === 0 ? (
            <p className="muted">Nenhuma conversa encerrada no período.</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Tabulação</th>
                    <th scope="col" className="num">
                      Conversas
                    </th>
                    <th scope="col">Participação</th>
                  </tr>
                </thead>
                <tbody>
                  {byTab.data.rows.map((r) => (
                    <tr key={r.tabulationId ?? "none"}>
                      <td>{r.tabulationName ?? "Sem tabulação"}</td>
                      <td className="num">{formatInt(r.count)}</td>
                      <td>
                        <span className="share">
                          <span
                            className="share-bar"
                            style={{ width: `${Math.round(r.share * 100)}%` }}
                            aria-hidden="true"
                          />
                          {formatShare(r.share)}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {byTab.data.expired > 0 && (
            <p className="muted small">Mais {formatInt(byTab.data.expired)} expiradas, sem tabulação.</p>
          )}
        </div>
      )}
    </section>
  );
}

function Stat({
  label,
  value,
  detail,
  tooltip,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  tooltip?: string;
  testId?: string;
}) {
  const tipId = useId();
  return (
    <div className="stat" data-stat={testId}>
      <span className="stat-label">
        {label}
        {tooltip && (
          <span className="tip">
            <button type="button" className="tip-button" aria-describedby={tipId} aria-label={`O que é ${label}`}>
              ?
            </button>
            <span role="tooltip" id={tipId} className="tip-text">
              {tooltip}
            </span>
          </span>
        )}
      </span>
      <span className="stat-value">{value}</span>
      {detail && <span className="muted small">{detail}</span>}
    </div>
  );
}
