import type { ApiClient } from "../../lib/api";
import { CONVERSATION_STATUS, formatDateTime, formatPhone } from "../../lib/format";
import { contactLabel } from "../chat/chat-view";
import { DepartmentBadge } from "./department-badge";
import type { DepartmentInfo } from "./use-departments";

type Row = Awaited<ReturnType<ApiClient["conversations"]["list"]["query"]>>["items"][number];

/** Supervisão › Conversas: the table of conversations; the open one is marked. */
export function ConversationTable({
  rows,
  openId,
  tabName,
  departments,
  onOpen,
}: {
  rows: Row[];
  openId: string | null;
  tabName: Map<string, string>;
  departments: Map<string, DepartmentInfo>;
  onOpen: (id: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">Conversas</caption>
        <thead>
          <tr>
            <th scope="col">Cliente</th>
            <th scope="col">Situação</th>
            <th scope="col">Operador</th>
            <th scope="col">Departamento</th>
            <th scope="col">Tabulação</th>
            <th scope="col">Criada em</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} aria-current={r.id === openId ? "true" : undefined}>
              <td>
                {contactLabel(r)}
                <div className="muted small">{formatPhone(r.contact.phone)}</div>
                <div className="muted small">Protocolo {r.protocol}</div>
                {r.tags.length > 0 && <div className="small">{r.tags.map((t) => `#${t}`).join(" ")}</div>}
              </td>
              <td>
                <span className={`badge status-${r.status.toLowerCase()}`}>{CONVERSATION_STATUS[r.status]}</span>
              </td>
              <td>{r.operatorName ?? "—"}</td>
              <td>
                <DepartmentCell info={r.departmentId ? departments.get(r.departmentId) : undefined} />
              </td>
              <td>{r.tabulationId ? (tabName.get(r.tabulationId) ?? "—") : "—"}</td>
              <td>{formatDateTime(r.createdAt)}</td>
              <td className="actions">
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => onOpen(r.id)}
                  aria-label={`Abrir conversa de ${contactLabel(r)}`}
                >
                  Abrir
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The conversation's department badge; "Geral" for the global queue. */
function DepartmentCell({ info }: { info: DepartmentInfo | undefined }) {
  return info ? <DepartmentBadge name={info.name} color={info.color} /> : <span className="muted">Geral</span>;
}
