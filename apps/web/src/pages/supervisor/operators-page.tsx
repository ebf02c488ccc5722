import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDuration, PRESENCE_LABEL, ROLE_LABEL } from "../../lib/format";
import type { BoardRow } from "../../lib/types";
import { useNow } from "../../lib/use-now";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { SelectField } from "../../ui/field";
import { DepartmentBadge } from "./department-badge";
import { useDepartments } from "./use-departments";
import { useLiveInvalidate } from "./use-staff-live";

/** Idle = online with nothing open: since the later of his last assignment and his status change. */
function idleMs(o: BoardRow, now: number): number | null {
  if (o.presence !== "ONLINE" || o.openCount > 0) return null;
  const since = Math.max(
    new Date(o.presenceChangedAt).getTime(),
    o.lastAssignedAt ? new Date(o.lastAssignedAt).getTime() : 0,
  );
  return now - since;
}

/** Supervisão › Operadores: who is online, paused or offline, with load, idle time and departments, live. */
export default function OperatorsPage() {
  const api = useApi();
  const now = useNow(5_000);
  const departments = useDepartments();
  const [departmentId, setDepartmentId] = useState("");
  const board = useQuery({ queryKey: ["presence.board"], queryFn: () => api.presence.board.query() });
  useLiveInvalidate(["onPresence", "onConversation"], [["presence.board"]]);
  const rows = (board.data ?? []).filter((o) => !departmentId || o.departmentIds.includes(departmentId));
  const count = (p: BoardRow["presence"]) => rows.filter((r) => r.presence === p).length;

  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Operadores</h1>
        {rows.length > 0 && (
          <p className="muted" aria-live="polite">
            {count("ONLINE")} online · {count("PAUSED")} em pausa · {count("OFFLINE")} offline
          </p>
        )}
      </header>
      {departments.list.length > 0 && (
        <search className="filters" aria-label="Filtrar operadores">
          <SelectField label="Departamento" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
            <option value="">Todos</option>
            {departments.list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
        </search>
      )}
      {board.isPending && <Loading />}
      {board.error && <ErrorBox message={errorMessage(board.error)} onRetry={() => void board.refetch()} />}
      {board.isSuccess && rows.length === 0 && (
        <EmptyState title={departmentId ? "Ninguém neste departamento" : "Nenhum operador ativo"}>
          <p>{departmentId ? "Escolha outro departamento." : "Cadastre operadores em Administração › Usuários."}</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Status dos operadores e supervisores</caption>
            <thead>
              <tr>
                <th scope="col">Nome</th>
                <th scope="col">Perfil</th>
                <th scope="col">Departamentos</th>
                <th scope="col">Status</th>
                <th scope="col">No status há</th>
                <th scope="col">Atendimentos abertos</th>
                <th scope="col">Ocioso há</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => {
                const idle = idleMs(o, now);
                const full = o.openCount >= o.maxConcurrent;
                return (
                  <tr key={o.userId}>
                    <td>{o.name}</td>
                    <td>{ROLE_LABEL[o.role]}</td>
                    <td>
                      {o.departmentIds.map((id) => {
                        const d = departments.byId.get(id);
                        return d ? <DepartmentBadge key={id} name={d.name} color={d.color} /> : null;
                      })}
                    </td>
                    <td>
                      <span className="presence-cell">
                        <span className={`presence-dot presence-${o.presence.toLowerCase()}`} aria-hidden="true" />
                        {PRESENCE_LABEL[o.presence]}
                        {o.presence === "PAUSED" && o.pauseReason ? ` (${o.pauseReason})` : ""}
                      </span>
                    </td>
                    <td>{formatDuration(now - new Date(o.presenceChangedAt).getTime())}</td>
                    <td>
                      <span className="load">
                        <meter min={0} max={o.maxConcurrent} value={o.openCount} aria-label={`Carga de ${o.name}`} />
                        <span className={full ? "badge badge-warn" : undefined}>
                          {o.openCount}/{o.maxConcurrent}
                          {full ? " · no limite" : ""}
                        </span>
                      </span>
                    </td>
                    <td>{idle === null ? "—" : formatDuration(idle)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
