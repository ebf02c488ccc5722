import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, formatDuration, formatPhone } from "../../lib/format";
import type { Out } from "../../lib/types";
import { useNow } from "../../lib/use-now";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { SelectField } from "../../ui/field";
import { contactLabel } from "../chat/chat-view";
import { TransferDialog } from "../chat/transfer-dialog";
import { DepartmentBadge } from "./department-badge";
import { type DepartmentInfo, useDepartments } from "./use-departments";
import { useLiveInvalidate } from "./use-staff-live";

/** A conversation's department, flagged "fora do horário" while it is closed; "Geral" without one. */
function DepartmentCell({ info }: { info: DepartmentInfo | undefined }) {
  if (!info) return <span className="muted">Geral</span>;
  return (
    <>
      <DepartmentBadge name={info.name} color={info.color} />
      {!info.openNow && <span className="badge badge-off">fora do horário</span>}
    </>
  );
}

type Waiting = Out["conversations"]["queue"]["items"][number];

/** Supervisão › Fila: who waits, for how long, in assignment order; assign by hand. */
export default function QueuePage() {
  const api = useApi();
  const qc = useQueryClient();
  const now = useNow(5_000);
  const [assigning, setAssigning] = useState<Waiting | null>(null);
  // "" every queue, "none" the global queue, or a department id.
  const [department, setDepartment] = useState("");
  const departments = useDepartments();
  const queue = useQuery({
    queryKey: ["conversations.queue", department],
    queryFn: () =>
      api.conversations.queue.query({
        limit: 500,
        ...(department ? { departmentId: department === "none" ? null : department } : {}),
      }),
  });
  useLiveInvalidate(["onQueue", "onConversation"], [["conversations.queue"], ["presence.board"]]);
  const items = queue.data?.items ?? [];
  const total = queue.data?.total ?? 0;

  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Fila</h1>
        <p className="queue-total" aria-live="polite">
          <strong>{total}</strong> {total === 1 ? "cliente aguardando" : "clientes aguardando"}
        </p>
      </header>
      {departments.list.length > 0 && (
        <div className="filters">
          <SelectField label="Departamento" value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">Todos</option>
            <option value="none">Fila geral (sem departamento)</option>
            {departments.list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
                {d.openNow ? "" : " (fora do horário)"}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {queue.isPending && <Loading />}
      {queue.error && <ErrorBox message={errorMessage(queue.error)} onRetry={() => void queue.refetch()} />}
      {queue.isSuccess && items.length === 0 && (
        <EmptyState title="Fila vazia">
          <p>Nenhum cliente aguardando. Novas conversas sem operador disponível aparecem aqui na hora.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Conversas aguardando atendimento, na ordem de atribuição</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Cliente</th>
                <th scope="col">Telefone</th>
                <th scope="col">Departamento</th>
                <th scope="col">Aguardando há</th>
                <th scope="col">Entrou em</th>
                <th scope="col">
                  <span className="sr-only">Ações</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c, i) => (
                <tr key={c.id}>
                  <td className="num">{i + 1}</td>
                  <td>{contactLabel(c)}</td>
                  <td>{formatPhone(c.contact.phone)}</td>
                  <td>
                    <DepartmentCell info={c.departmentId ? departments.byId.get(c.departmentId) : undefined} />
                    {c.routingState === "MENU" && <span className="badge">no menu</span>}
                  </td>
                  <td>
                    <span className="badge badge-warn">
                      {formatDuration(now - new Date(c.queuedAt ?? c.createdAt).getTime())}
                    </span>
                  </td>
                  <td>{formatDateTime(c.queuedAt ?? c.createdAt)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setAssigning(c)}
                      aria-label={`Atribuir ${contactLabel(c)} a um operador`}
                    >
                      Atribuir
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > items.length && (
            <p className="muted small table-note">
              Mostrando os {items.length} primeiros de {total}.
            </p>
          )}
        </div>
      )}
      {assigning && (
        <TransferDialog
          conversationId={assigning.id}
          currentOperatorId={null}
          allowQueue={false}
          title={`Atribuir ${contactLabel(assigning)}`}
          onClose={() => setAssigning(null)}
          onDone={() => {
            setAssigning(null);
            void qc.invalidateQueries({ queryKey: ["conversations.queue"] });
          }}
        />
      )}
    </section>
  );
}
