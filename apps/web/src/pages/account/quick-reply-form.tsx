import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi, useMe } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { CheckboxField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { QUICK_REPLIES_KEY } from "../chat/quick-replies";
import { ACCEPTED_FILES } from "../chat/send-message";

export type EditableReply = {
  id: string;
  shortcut: string;
  body: string;
  shared: boolean;
  attachment?: { fileName: string } | null;
};

/**
 * New or changed quick reply: shortcut, text with variables, an optional file sent
 * with it; staff may share it with everyone. The file goes up after the text is saved.
 */
export function QuickReplyForm({ reply, onClose }: { reply: EditableReply | null; onClose: () => void }) {
  const api = useApi();
  const me = useMe();
  const qc = useQueryClient();
  const [shortcut, setShortcut] = useState(reply?.shortcut ?? "");
  const [body, setBody] = useState(reply?.body ?? "");
  const [shared, setShared] = useState(reply?.shared ?? false);
  const [file, setFile] = useState<File | null>(null);
  const [dropFile, setDropFile] = useState(false);
  const save = useMutation({
    mutationFn: async () => {
      const saved = reply
        ? await api.quickReplies.update.mutate({ id: reply.id, shortcut, body })
        : await api.quickReplies.create.mutate({ shortcut, body, shared });
      if (file) {
        const form = new FormData();
        form.set("id", saved.id);
        form.set("file", file);
        await api.quickReplies.attach.mutate(form);
      } else if (dropFile) await api.quickReplies.detach.mutate({ id: saved.id });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: QUICK_REPLIES_KEY });
      onClose();
    },
  });
  return (
    <FormDialog
      title={reply ? `Editar /${reply.shortcut}` : "Nova resposta rápida"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      submitLabel="Salvar resposta"
    >
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
      <div className="field">
        <label htmlFor="quick-file">Anexo (opcional)</label>
        {reply?.attachment && !file && !dropFile && (
          <span className="small">
            📎 {reply.attachment.fileName}{" "}
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setDropFile(true)}>
              Remover anexo
            </button>
          </span>
        )}
        <input
          id="quick-file"
          type="file"
          accept={ACCEPTED_FILES}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <span className="muted small">
          Enviado junto com o texto (imagem, vídeo ou documento levam o texto como legenda).
        </span>
      </div>
      {!reply && me.role !== "OPERATOR" && (
        <CheckboxField
          label="Compartilhada com toda a equipe"
          checked={shared}
          onChange={(e) => setShared(e.target.checked)}
        />
      )}
    </FormDialog>
  );
}
