import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { QUICK_REPLIES_KEY, useQuickReplies } from "../chat/quick-replies";
import { type EditableReply, QuickReplyForm } from "./quick-reply-form";

/**
 * Atendimento › Respostas rápidas: the viewer's own replies and the shared
 * ones. Everyone manages his own; staff also create and change shared ones.
 */
export default function QuickRepliesPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const list = useQuickReplies();
  const [editing, setEditing] = useState<EditableReply | "new" | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api.quickReplies.remove.mutate({ id }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: QUICK_REPLIES_KEY });
      toast("Resposta rápida excluída.");
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const rows = list.data ?? [];
  return (
    <ListPage
      title="Respostas rápidas"
      action={{ label: "Nova resposta", onClick: () => setEditing("new") }}
      intro={<p className="muted">No chat, digite / para escolher uma resposta; as variáveis são preenchidas.</p>}
      query={list}
      rows={rows}
      empty={{ title: "Nenhuma resposta rápida ainda", body: <p>Crie a primeira com “Nova resposta”.</p> }}
      caption="Respostas rápidas"
      columns={
        <>
          <th scope="col">Atalho</th>
          <th scope="col">Texto</th>
          <th scope="col">Tipo</th>
          <th scope="col">
            <span className="sr-only">Ações</span>
          </th>
        </>
      }
      rowKey={(r) => r.id}
      cells={(r) => (
        <>
          <td>/{r.shortcut}</td>
          <td className="quick-body">
            {r.body}
            {r.attachment && <span className="muted small"> · 📎 {r.attachment.fileName}</span>}
          </td>
          <td>{r.shared ? "Compartilhada" : "Pessoal"}</td>
          <td className="actions">
            {r.canEdit && (
              <>
                <button type="button" className="btn btn-small" onClick={() => setEditing(r)}>
                  Editar<span className="sr-only"> /{r.shortcut}</span>
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(r.id)}
                >
                  Excluir<span className="sr-only"> /{r.shortcut}</span>
                </button>
              </>
            )}
          </td>
        </>
      )}
    >
      {editing && <QuickReplyForm reply={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </ListPage>
  );
}
