import type { ApiClient } from "../../lib/api";
import { formatInt, formatSeconds, formatShare } from "../../lib/format";

type ByOperator = Awaited<ReturnType<ApiClient["reports"]["byOperator"]["query"]>>;
type ByTabulation = Awaited<ReturnType<ApiClient["reports"]["byTabulation"]["query"]>>;
type ByDepartment = Awaited<ReturnType<ApiClient["reports"]["byDepartment"]["query"]>>;

const csatFormat = new Intl.NumberFormat("pt-BR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Reports › "Por departamento": volume, queue and open now, mean times and CSAT per department. */
export function DepartmentTable({ rows }: { rows: ByDepartment }) {
  return (
    <div className="card">
      <h2>Por departamento</h2>
      {rows.length === 0 ? (
        <p className="muted">Nenhuma conversa no período.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="by-department">
            <thead>
              <tr>
                <th scope="col">Departamento</th>
                <th scope="col" className="num">
                  Encerradas
                </th>
                <th scope="col" className="num">
                  Expiradas
                </th>
                <th scope="col" className="num">
                  Na fila agora
                </th>
                <th scope="col" className="num">
                  Em atendimento
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
                <th scope="col" className="num">
                  Satisfação
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.departmentId ?? "none"}>
                  <td>
                    {r.color && <span className="department-dot" style={{ background: r.color }} aria-hidden="true" />}{" "}
                    {r.departmentName ?? "Sem departamento"}
                  </td>
                  <td className="num">{formatInt(r.closed)}</td>
                  <td className="num">{formatInt(r.expired)}</td>
                  <td className="num">{formatInt(r.waitingNow)}</td>
                  <td className="num">{formatInt(r.openNow)}</td>
                  <td className="num">{formatSeconds(r.metrics.waiting.avg)}</td>
                  <td className="num">{formatSeconds(r.metrics.handling.avg)}</td>
                  <td className="num">{formatSeconds(r.metrics.firstResponse.avg)}</td>
                  <td className="num">
                    {r.csat.average === null ? "—" : csatFormat.format(r.csat.average)}
                    <small className="muted">
                      {" "}
                      ({formatInt(r.csat.answered)} {r.csat.answered === 1 ? "resposta" : "respostas"})
                    </small>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Reports › "Por operador": finished conversations and mean times per operator. */
export function OperatorTable({ rows }: { rows: ByOperator }) {
  return (
    <div className="card">
      <h2>Por operador</h2>
      {rows.length === 0 ? (
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
              {rows.map((r) => (
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
  );
}

/** Reports › "Por tabulação": closed conversations per tabulation with their share. */
export function TabulationTable({ data }: { data: ByTabulation }) {
  return (
    <div className="card">
      <h2>Por tabulação</h2>
      {data.rows.length === 0 ? (
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
              {data.rows.map((r) => (
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
      {data.expired > 0 && <p className="muted small">Mais {formatInt(data.expired)} expiradas, sem tabulação.</p>}
    </div>
  );
}
