import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Out } from "../../lib/types";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { DepartmentBadge } from "../supervisor/department-badge";
import { DepartmentDialog } from "./department-dialog";
import { MembersDialog } from "./department-members-dialog";

type Department = Out["departments"]["list"][number];
const KEY = ["departments.list"];

/** Administração › Departamentos: the teams (filas/setores), their members and queues. */
export default function DepartmentsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<Department | "new" | null>(null);
  const [members, setMembers] = useState<Department | null>(null);
  const list = useQuery({
    queryKey: [...KEY, "all"],
    queryFn: async () =>
      (await api.departments.list.query({ includeArchived: true })).filter((d): d is Department => "archived" in d),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const archive = useMutation({
    mutationFn: (d: Department) => api.departments.archive.mutate({ id: d.id, archived: !d.archived }),
    onSuccess: (d) => {
      toast(d.archived ? `Departamento ${d.name} arquivado.` : `Departamento ${d.name} restaurado.`);
      void refresh();
    },
    onError: (e) => toast(errorMessage(e)),
  });
  return (
    <ListPage
      title="Departamentos"
      action={{ label: "Novo departamento", onClick: () => setEditing("new") }}
      intro={
        <p className="muted">
          Cada departamento tem sua própria fila: as conversas dele vão só para os seus operadores online.
        </p>
      }
      query={list}
      rows={list.data ?? []}
      empty={{
        title: "Nenhum departamento ainda",
        body: "Sem departamentos, todas as conversas entram na fila geral. Crie Vendas, Suporte, Financeiro…",
      }}
      caption="Departamentos"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Situação</th>
          <th scope="col">Membros</th>
          <th scope="col">Online</th>
          <th scope="col">Na fila</th>
        </>
      }
      rowKey={(d) => d.id}
      cells={(d) => (
        <>
          <td>
            <DepartmentBadge name={d.name} color={d.color} />
          </td>
          <td>
            <span className={d.archived ? "badge badge-off" : d.openNow ? "badge badge-ok" : "badge"}>
              {d.archived ? "Arquivado" : d.openNow ? "Aberto" : "Fora do horário"}
            </span>
          </td>
          <td>{d.members}</td>
          <td>{d.online}</td>
          <td>{d.waiting}</td>
          <td className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setEditing(d)}
              aria-label={`Editar ${d.name}`}
            >
              Editar
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setMembers(d)}
              aria-label={`Membros de ${d.name}`}
            >
              Membros
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => archive.mutate(d)}
              aria-label={`${d.archived ? "Restaurar" : "Arquivar"} ${d.name}`}
            >
              {d.archived ? "Restaurar" : "Arquivar"}
            </button>
          </td>
        </>
      )}
    >
      {editing && (
        <DepartmentDialog
          department={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {members && (
        <MembersDialog
          department={members}
          onClose={() => setMembers(null)}
          onDone={() => {
            setMembers(null);
            void refresh();
          }}
        />
      )}
    </ListPage>
  );
}
