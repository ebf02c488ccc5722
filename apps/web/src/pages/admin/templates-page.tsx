import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import type { Template } from "../../lib/types";
import { useDebounced } from "../../lib/use-debounced";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { useToast } from "../../ui/toast";
import { INSTANCES_KEY } from "./instance-shared";
import { TemplateFormDialog } from "./template-form-dialog";

/** Administração › Modelos: message templates with variables, for campaigns and the 24 h window. */
export default function TemplatesPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<Template | "new" | null>(null);
  const q = useDebounced(search.trim());
  const list = useQuery({
    queryKey: ["templates.list", q],
    queryFn: () => api.templates.list.query({ search: q || undefined }),
  });
  const remove = useMutation({
    mutationFn: (t: Template) => api.templates.delete.mutate({ id: t.id }),
    onSuccess: () => {
      toast("Modelo excluído.");
      void qc.invalidateQueries({ queryKey: ["templates.list"] });
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const instances = useQuery({ queryKey: INSTANCES_KEY, queryFn: () => api.instances.list.query() });
  const numberName = (id: string | null) =>
    id ? (instances.data?.find((i) => i.id === id)?.name ?? "Outro número") : "Todos os números";
  const rows = list.data ?? [];
  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Modelos</h1>
        <button type="button" className="btn btn-primary" onClick={() => setEditing("new")}>
          Novo modelo
        </button>
      </header>
      <search className="filters" aria-label="Filtrar modelos">
        <TextField
          label="Buscar"
          type="search"
          placeholder="Nome do modelo"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </search>
      {list.isPending && <Loading />}
      {list.error && <ErrorBox message={errorMessage(list.error)} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && (
        <EmptyState title={q ? "Nenhum modelo encontrado" : "Nenhum modelo ainda"}>
          <p>{q ? "Mude a busca." : "Crie o primeiro com “Novo modelo”. Campanhas precisam de um modelo."}</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Modelos de mensagem</caption>
            <thead>
              <tr>
                <th scope="col">Nome</th>
                <th scope="col">Texto</th>
                <th scope="col">Variáveis</th>
                <th scope="col">Meta</th>
                <th scope="col">Número</th>
                <th scope="col">Situação</th>
                <th scope="col">Atualizado em</th>
                <th scope="col">
                  <span className="sr-only">Ações</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td className="truncate" title={t.body}>
                    {t.body}
                  </td>
                  <td>{t.variables.map((v) => `{{${v}}}`).join(", ") || "—"}</td>
                  <td>{t.meta ? `${t.meta.name} (${t.meta.language})` : "—"}</td>
                  <td>{numberName(t.instanceId)}</td>
                  <td>{t.active ? "Ativo" : <span className="badge badge-warn">Inativo</span>}</td>
                  <td>{formatDateTime(t.updatedAt)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setEditing(t)}
                      aria-label={`Editar ${t.name}`}
                    >
                      Editar
                    </button>
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={`Excluir ${t.name}`}
                      onClick={() => {
                        if (window.confirm(`Excluir o modelo “${t.name}”?`)) remove.mutate(t);
                      }}
                    >
                      Excluir
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <TemplateFormDialog
          template={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void qc.invalidateQueries({ queryKey: ["templates.list"] });
          }}
        />
      )}
    </section>
  );
}
