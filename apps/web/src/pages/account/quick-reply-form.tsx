import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi, useMe } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Dialog } from "../../ui/dialog";
import { ErrorBox } from "../../ui/feedback";
import { CheckboxField, TextField } from "../../ui/field";
import { QUICK_REPLIES_KEY } from "../chat/quick-replies";

export type EditableReply = { id: string; shortcut: string; body: string; shared: boolean };

/** New or changed quick reply: shortcut, text with variables; staff may share it with everyone. */
export function QuickReplyForm({ reply, onClose }: { reply: EditableReply | null; onClose: () => void }) {
  const api = useApi();
  const me = useMe();
  const qc = useQueryClient();
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? "");
  const [body, setBody] = useState(reply?.body ?? "");
  const [shared, setShared] = useState(reply?.shared ?? false);
  const save = useMutation({
    mutationFn: () =>
      reply
        ? api.quickReplies.update.mutate({ id: reply.id, shortcut, body })
        : api.quickReplies.create.mutate({ shortcut, body, shared }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: QUICK_REPLIES_KEY });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Dialog title={reply ? `Editar /${reply.shortcut}` : "Nova resposta rápida"} onClose={onClose}>
      <form className="dialog-body" onSubmit={submit}>
        {save.error && <ErrorBox message={errorMessage(save.error)} />}
        <TextField
          label="Atalho"
          required
          maxLength={30}
          pattern="[A-Za-z0-9_\-]{1,30}"
          value={shortcut}
          onChange={(e) => setShortcut(e.target.value)}
          hint="Letras, números, - ou _. No chat, digite / e o atalho."
        />
        <div className="field">
          <label htmlFor="quick-body">Texto</label>
          <textarea
            id="quick-body"
            rows={5}
            required
            maxLength={4096}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          <span className="muted small">
            Variáveis: {"{{nome}}"} (cliente), {"{{operador}}"} (você), {"{{protocolo}}"}.
          </span>
        </div>
        {!reply && me.role !== "OPERATOR" && (
          <CheckboxField
            label="Compartilhada com toda a equipe"
            checked={shared}
            onChange={(e) => setShared(e.target.checked)}
          />
        )}
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? "Salvando…" : "Salvar resposta"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
