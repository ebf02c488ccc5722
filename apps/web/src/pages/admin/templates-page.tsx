import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import type { Template } from "../../lib/types";
import { useDebounced } from "../../lib/use-debounced";
import { TextField } from "../../ui/field";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { INSTANCES_KEY } from "./instance-shared";
import { TemplateFormDialog } from "./template-form-dialog";
import { TemplateSync } from "./template-sync";

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
    <ListPage
      title="Modelos"
      action={{ label: "Novo modelo", onClick: () => setEditing("new") }}
      filtersLabel="Filtrar modelos"
      filters={
        <>
          <TextField
            label="Buscar"
            type="search"
            placeholder="Nome do modelo"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <TemplateSync />
        </>
      }
      query={list}
      rows={rows}
      empty={{
        title: q ? "Nenhum modelo encontrado" : "Nenhum modelo ainda",
        body: q ? "Mude a busca." : "Crie o primeiro com “Novo modelo”. Campanhas precisam de um modelo.",
      }}
      caption="Modelos de mensagem"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Texto</th>
          <th scope="col">Variáveis</th>
          <th scope="col">Meta</th>
          <th scope="col">Número</th>
          <th scope="col">Situação</th>
          <th scope="col">Atualizado em</th>
        </>
      }
      rowKey={(t) => t.id}
      cells={(t) => (
        <>
          <td>{t.name}</td>
          <td className="truncate" title={t.body}>
            {t.body}
          </td>
          <td>{t.variables.map((v) => `{{${v}}}`).join(", ") || "—"}</td>
          <td>{t.meta ? `${t.meta.name} (${t.meta.language})` : "—"}</td>
          <td>{numberName(t.instanceId)}</td>
          <td>
            {t.active ? "Ativo" : <span className="badge badge-warn">Inativo</span>}
            {t.metaStatus && <div className="small">Meta: {t.metaStatus}</div>}
            {t.unavailableReason && <div className="field-error small">{t.unavailableReason}</div>}
          </td>
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
        </>
      )}
    >
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
    </ListPage>
  );
}
