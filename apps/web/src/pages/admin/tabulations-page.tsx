import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import type { Tabulation } from "../../lib/types";
import { TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";

const KEY = ["tabulations.list"];

/** Administração › Tabulações: the categories an operator picks when closing. */
export default function TabulationsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<Tabulation | "new" | null>(null);
  const list = useQuery({
    queryKey: [...KEY, true],
    queryFn: () => api.tabulations.list.query({ includeInactive: true }),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const toggle = useMutation({
    mutationFn: (t: Tabulation) => api.tabulations.setActive.mutate({ id: t.id, active: !t.active }),
    onSuccess: (t) => {
      toast(t.active ? `Tabulação ${t.name} ativada.` : `Tabulação ${t.name} desativada.`);
      void refresh();
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: (t: Tabulation) => api.tabulations.remove.mutate({ id: t.id }),
    onSuccess: () => {
      toast("Tabulação removida (ou desativada, se já foi usada).");
      void refresh();
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const rows = list.data ?? [];

  return (
    <ListPage
      title="Tabulações"
      action={{ label: "Nova tabulação", onClick: () => setEditing("new") }}
      intro={<p className="muted">O operador escolhe uma tabulação ativa ao encerrar cada atendimento.</p>}
      query={list}
      rows={rows}
      empty={{
        title: "Nenhuma tabulação ainda",
        body: "Crie a primeira com “Nova tabulação” — sem nenhuma ativa, os operadores não conseguem encerrar atendimentos.",
      }}
      caption="Tabulações"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Situação</th>
          <th scope="col">Criada em</th>
        </>
      }
      rowKey={(t) => t.id}
      cells={(t) => (
        <>
          <td>{t.name}</td>
          <td>
            <span className={t.active ? "badge badge-ok" : "badge badge-off"}>{t.active ? "Ativa" : "Inativa"}</span>
          </td>
          <td>{formatDateTime(t.createdAt)}</td>
          <td className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setEditing(t)}
              aria-label={`Renomear ${t.name}`}
            >
              Renomear
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => toggle.mutate(t)}
              aria-label={`${t.active ? "Desativar" : "Ativar"} ${t.name}`}
            >
              {t.active ? "Desativar" : "Ativar"}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                if (window.confirm(`Excluir a tabulação “${t.name}”? Se já foi usada, ela só será desativada.`))
                  remove.mutate(t);
              }}
              aria-label={`Excluir ${t.name}`}
            >
              Excluir
            </button>
          </td>
        </>
      )}
    >
      {editing && (
        <TabulationDialog
          tabulation={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
    </ListPage>
  );
}

function TabulationDialog({
  tabulation,
  onClose,
  onDone,
}: {
  tabulation: Tabulation | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const [name, setName] = useState(tabulation?.name ?? "");
  const save = useMutation({
    mutationFn: () =>
      tabulation
        ? api.tabulations.rename.mutate({ id: tabulation.id, name: name.trim() })
        : api.tabulations.create.mutate({ name: name.trim() }),
    onSuccess: (t) => {
      toast(tabulation ? `Tabulação renomeada para ${t.name}.` : `Tabulação ${t.name} criada.`);
      onDone();
    },
  });
  return (
    <FormDialog
      title={tabulation ? `Renomear ${tabulation.name}` : "Nova tabulação"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={!!name.trim()}
      submitLabel={tabulation ? "Salvar" : "Criar tabulação"}
    >
      <TextField
        label="Nome"
        required
        autoFocus
        maxLength={120}
        value={name}
        onChange={(e) => setName(e.target.value)}
        hint="Ex.: Venda realizada, Dúvida resolvida, Sem interesse"
      />
    </FormDialog>
  );
}
