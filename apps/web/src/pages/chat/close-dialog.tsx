import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Dialog } from "../../ui/dialog";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { SelectField } from "../../ui/field";
import { useToast } from "../../ui/toast";

/** Closing needs a tabulation (active ones only) and takes an optional note. */
export function CloseDialog({
  conversationId,
  contactLabel,
  onClose,
  onDone,
}: {
  conversationId: string;
  contactLabel: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const tabs = useQuery({ queryKey: ["tabulations.list", false], queryFn: () => api.tabulations.list.query() });
  const [tabulationId, setTabulationId] = useState("");
  const [note, setNote] = useState("");
  const close = useMutation({
    mutationFn: () =>
      api.conversations.close.mutate({ id: conversationId, tabulationId, note: note.trim() || undefined }),
    onSuccess: () => {
      toast(`Atendimento de ${contactLabel} encerrado.`);
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tabulationId) close.mutate();
  };
  return (
    <Dialog title="Encerrar atendimento" onClose={onClose}>
      <form className="dialog-body" onSubmit={submit}>
        {close.error && <ErrorBox message={errorMessage(close.error)} />}
        {tabs.isPending && <Loading />}
        {tabs.error && <ErrorBox message={errorMessage(tabs.error)} onRetry={() => void tabs.refetch()} />}
        {tabs.data?.length === 0 && (
          <EmptyState title="Nenhuma tabulação ativa">
            <p>Peça a um administrador para cadastrar tabulações em Administração › Tabulações.</p>
          </EmptyState>
        )}
        {tabs.data && tabs.data.length > 0 && (
          <SelectField
            label="Tabulação"
            required
            autoFocus
            value={tabulationId}
            onChange={(e) => setTabulationId(e.target.value)}
            hint="Obrigatória: diz como o atendimento terminou."
          >
            <option value="">Escolha…</option>
            {tabs.data.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
        )}
        <div className="field">
          <label htmlFor="close-note">Observação (opcional)</label>
          <textarea id="close-note" rows={3} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primary" disabled={!tabulationId || close.isPending}>
            {close.isPending ? "Encerrando…" : "Encerrar"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
