import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi, useMe } from "../../auth/session";
import type { ApiClient } from "../../lib/api";
import { errorMessage } from "../../lib/errors";
import { formatPhone } from "../../lib/format";
import { useDebounced } from "../../lib/use-debounced";
import { SelectField, TextField } from "../../ui/field";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { ContactFormDialog } from "./contact-form-dialog";
import { ContactImport } from "./contact-import";

export type Contact = Awaited<ReturnType<ApiClient["contacts"]["list"]["query"]>>["items"][number];
type Dialog = { kind: "create" } | { kind: "edit"; contact: Contact } | null;

const KEY = ["contacts.list"];
const PAGE = 50;

/** Saves `data` as a JSON file through the browser's download. */
function downloadJson(data: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Administração › Contatos: search, filters, create/edit, LGPD export, CSV import; erasure for admins only. */
export default function ContactsPage() {
  const api = useApi();
  const canErase = useMe().role === "ADMIN";
  const qc = useQueryClient();
  const toast = useToast();
  const [search, setSearch] = useState("");
  const [tag, setTag] = useState("");
  const [optedOut, setOptedOut] = useState<"" | "true" | "false">("");
  const [dialog, setDialog] = useState<Dialog>(null);
  const q = useDebounced(search.trim());
  const t = useDebounced(tag.trim());
  const filters = { search: q || undefined, tag: t || undefined, optedOut: optedOut ? optedOut === "true" : undefined };
  const list = useInfiniteQuery({
    queryKey: [...KEY, filters],
    queryFn: ({ pageParam }) => api.contacts.list.query({ ...filters, cursor: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: KEY });
  const erase = useMutation({
    mutationFn: (c: Contact) => api.contacts.delete.mutate({ id: c.id }),
    onSuccess: () => {
      toast("Contato excluído e dados pessoais apagados.");
      void refresh();
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const exportData = useMutation({
    mutationFn: (c: Contact) => api.contacts.exportData.mutate({ id: c.id }),
    onSuccess: (data, c) => {
      downloadJson(data, `dados-contato-${(c.phone ?? c.id).replace(/\D/g, "") || c.id}.json`);
      toast("Arquivo com os dados do contato baixado.");
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filters.search || filters.tag || filters.optedOut !== undefined);

  return (
    <ListPage
      title="Contatos"
      action={{ label: "Novo contato", onClick: () => setDialog({ kind: "create" }) }}
      intro={<ContactImport onFinished={() => void refresh()} />}
      filtersLabel="Filtrar contatos"
      filters={
        <>
          <TextField
            label="Buscar"
            type="search"
            placeholder="Nome, telefone ou e-mail"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            hint="Sem diferença entre maiúsculas e acentos."
          />
          <TextField label="Etiqueta" value={tag} onChange={(e) => setTag(e.target.value)} placeholder="vip" />
          <SelectField
            label="Campanhas"
            value={optedOut}
            onChange={(e) => setOptedOut(e.target.value as "" | "true" | "false")}
          >
            <option value="">Todos</option>
            <option value="false">Recebem campanhas</option>
            <option value="true">Descadastrados (opt-out)</option>
          </SelectField>
        </>
      }
      query={list}
      rows={rows}
      empty={{
        title: filtered ? "Nenhum contato encontrado" : "Nenhum contato ainda",
        body: filtered ? "Mude a busca ou os filtros." : "Crie um contato ou importe uma lista CSV.",
      }}
      caption="Contatos"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Telefone</th>
          <th scope="col">E-mail</th>
          <th scope="col">Etiquetas</th>
          <th scope="col">Campanhas</th>
        </>
      }
      rowKey={(c) => c.id}
      cells={(c) => (
        <>
          <td>{c.name ?? <span className="muted">sem nome</span>}</td>
          <td>{formatPhone(c.phone)}</td>
          <td>{c.email ?? ""}</td>
          <td>
            {c.tags.map((tg) => (
              <span key={tg} className="tag">
                {tg}
              </span>
            ))}
          </td>
          <td>{c.optedOutAt ? <span className="badge badge-off">Opt-out</span> : "Sim"}</td>
          <td className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setDialog({ kind: "edit", contact: c })}
              aria-label={`Editar ${c.name ?? c.phone}`}
            >
              Editar
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={exportData.isPending}
              onClick={() => exportData.mutate(c)}
              aria-label={`Exportar dados de ${c.name ?? c.phone}`}
            >
              Exportar dados
            </button>
            {canErase && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  const ok = window.confirm(
                    `Excluir ${c.name ?? c.phone}?\n\nLGPD: nome, telefone, e-mail, etiquetas, campos personalizados, textos e mídias das conversas, listas de campanha e registros de importação e de webhooks com o telefone serão apagados de forma irreversível. O histórico fica anônimo nos relatórios.`,
                  );
                  if (ok) erase.mutate(c);
                }}
                aria-label={`Excluir ${c.name ?? c.phone}`}
              >
                Excluir
              </button>
            )}
          </td>
        </>
      )}
    >
      {dialog && (
        <ContactFormDialog
          contact={dialog.kind === "edit" ? dialog.contact : null}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void refresh();
          }}
        />
      )}
    </ListPage>
  );
}
