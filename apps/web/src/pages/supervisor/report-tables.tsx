import type { ApiClient } from "../../lib/api";
import { formatInt, formatSeconds, formatShare } from "../../lib/format";
import { type Column, ReportTable } from "./report-table";

type ByOperator = Awaited<ReturnType<ApiClient["reports"]["byOperator"]["query"]>>;
type ByTabulation = Awaited<ReturnType<ApiClient["reports"]["byTabulation"]["query"]>>;
type ByDepartment = Awaited<ReturnType<ApiClient["reports"]["byDepartment"]["query"]>>;

const csatFormat = new Intl.NumberFormat("pt-BR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

type Timed = {
  metrics: { waiting: { avg: number | null }; handling: { avg: number | null }; firstResponse: { avg: number | null } };
};

/** TME, TMA and first response: the mean times every breakdown shows. */
function timeColumns<T extends Timed>(): Column<T>[] {
  return [
    { header: "TME", num: true, cell: (r) => formatSeconds(r.metrics.waiting.avg) },
    { header: "TMA", num: true, cell: (r) => formatSeconds(r.metrics.handling.avg) },
    { header: "1ª resposta", num: true, cell: (r) => formatSeconds(r.metrics.firstResponse.avg) },
  ];
}

const departmentColumns: Column<ByDepartment[number]>[] = [
  {
    header: "Departamento",
    cell: (r) => (
      <>
        {r.color && <span className="department-dot" style={{ background: r.color }} aria-hidden="true" />}{" "}
        {r.departmentName ?? "Sem departamento"}
      </>
    ),
  },
  { header: "Encerradas", num: true, cell: (r) => formatInt(r.closed) },
  { header: "Expiradas", num: true, cell: (r) => formatInt(r.expired) },
  { header: "Na fila agora", num: true, cell: (r) => formatInt(r.waitingNow) },
  { header: "Em atendimento", num: true, cell: (r) => formatInt(r.openNow) },
  ...timeColumns<ByDepartment[number]>(),
  {
    header: "Satisfação",
    num: true,
    cell: (r) => (
      <>
        {r.csat.average === null ? "—" : csatFormat.format(r.csat.average)}
        <small className="muted">
          {" "}
          ({formatInt(r.csat.answered)} {r.csat.answered === 1 ? "resposta" : "respostas"})
        </small>
      </>
    ),
  },
];

/** Reports › "Por departamento": volume, queue and open now, mean times and CSAT per department. */
export function DepartmentTable({ rows }: { rows: ByDepartment }) {
  return (
    <ReportTable
      title="Por departamento"
      empty="Nenhuma conversa no período."
      rows={rows}
      rowKey={(r) => r.departmentId ?? "none"}
      columns={departmentColumns}
      testId="by-department"
    />
  );
}

const operatorColumns: Column<ByOperator[number]>[] = [
  { header: "Operador", cell: (r) => r.operatorName ?? "Sem operador" },
  { header: "Encerradas", num: true, cell: (r) => formatInt(r.handled) },
  { header: "Expiradas", num: true, cell: (r) => formatInt(r.expired) },
  { header: "Abertas agora", num: true, cell: (r) => formatInt(r.openNow) },
  ...timeColumns<ByOperator[number]>(),
];

/** Reports › "Por operador": finished conversations and mean times per operator. */
export function OperatorTable({ rows }: { rows: ByOperator }) {
  return (
    <ReportTable
      title="Por operador"
      empty="Nenhuma conversa finalizada no período."
      rows={rows}
      rowKey={(r) => r.operatorId ?? "none"}
      columns={operatorColumns}
    />
  );
}

const tabulationColumns: Column<ByTabulation["rows"][number]>[] = [
  { header: "Tabulação", cell: (r) => r.tabulationName ?? "Sem tabulação" },
  { header: "Conversas", num: true, cell: (r) => formatInt(r.count) },
  {
    header: "Participação",
    cell: (r) => (
      <span className="share">
        <span className="share-bar" style={{ width: `${Math.round(r.share * 100)}%` }} aria-hidden="true" />
        {formatShare(r.share)}
      </span>
    ),
  },
];

/** Reports › "Por tabulação": closed conversations per tabulation with their share. */
export function TabulationTable({ data }: { data: ByTabulation }) {
  return (
    <ReportTable
      title="Por tabulação"
      empty="Nenhuma conversa encerrada no período."
      rows={data.rows}
      rowKey={(r) => r.tabulationId ?? "none"}
      columns={tabulationColumns}
    >
      {data.expired > 0 && <p className="muted small">Mais {formatInt(data.expired)} expiradas, sem tabulação.</p>}
    </ReportTable>
  );
}
