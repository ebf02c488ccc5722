import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi, useMe } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { PRESENCE_LABEL } from "../../lib/format";
import { Dialog } from "../../ui/dialog";
import { ErrorBox, Loading } from "../../ui/feedback";
import { CheckboxField, SelectField } from "../../ui/field";
import { useToast } from "../../ui/toast";

const QUEUE = "__queue__";

/**
 * Hands a conversation over. Operators cannot read the presence board, so they
 * can only give it back to the queue; staff pick an operator (with his load)
 * or the queue, and may force an assignment over capacity.
 */
export function TransferDialog({
  conversationId,
  currentOperatorId,
  title = "Transferir atendimento",
  allowQueue = true,
  onClose,
  onDone,
}: {
  conversationId: string;
  currentOperatorId: string | null;
  title?: string;
  /** False for a conversation that is already waiting in the queue. */
  allowQueue?: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const me = useMe();
  const toast = useToast();
  const staff = me.role !== "OPERATOR";
  const board = useQuery({ queryKey: ["presence.board"], queryFn: () => api.presence.board.query(), enabled: staff });
  const [target, setTarget] = useState(allowQueue ? QUEUE : "");
  const [force, setForce] = useState(false);
  const operators = (board.data ?? []).filter((o) => o.role === "OPERATOR" && o.userId !== currentOperatorId);
  const chosen = operators.find((o) => o.userId === target);
  const full = chosen ? chosen.openCount >= chosen.maxConcurrent : false;
  const transfer = useMutation({
    mutationFn: () =>
      api.conversations.transfer.mutate({
        id: conversationId,
        operatorId: target === QUEUE ? null : target,
        force: staff && force,
      }),
    onSuccess: () => {
      toast(
        target === QUEUE ? "Conversa devolvida à fila." : `Conversa transferida para ${chosen?.name ?? "o operador"}.`,
      );
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    transfer.mutate();
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog-body" onSubmit={submit}>
        {transfer.error && <ErrorBox message={errorMessage(transfer.error)} />}
        {!staff && (
          <p>A conversa volta para a fila, na mesma posição, e será atribuída ao próximo operador disponível.</p>
        )}
        {staff && board.isPending && <Loading label="Carregando operadores…" />}
        {staff && board.error && <ErrorBox message={errorMessage(board.error)} onRetry={() => void board.refetch()} />}
        {staff && board.data && (
          <SelectField label="Destino" autoFocus value={target} onChange={(e) => setTarget(e.target.value)}>
            {allowQueue ? (
              <option value={QUEUE}>Devolver à fila</option>
            ) : (
              <option value="">Escolha um operador…</option>
            )}
            {operators.map((o) => (
              <option key={o.userId} value={o.userId}>
                {o.name} — {PRESENCE_LABEL[o.presence]}, {o.openCount}/{o.maxConcurrent} atendimentos
              </option>
            ))}
          </SelectField>
        )}
        {staff && chosen && (
          <>
            {full && (
              <p className="field-error" role="note">
                {chosen.name} está no limite ({chosen.openCount}/{chosen.maxConcurrent}). Marque “Forçar” para atribuir
                mesmo assim.
              </p>
            )}
            <CheckboxField
              label="Forçar (atribuir acima da capacidade)"
              checked={force}
              onChange={(e) => setForce(e.target.checked)}
            />
          </>
        )}
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancelar
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={transfer.isPending || target === "" || (full && !force)}
          >
            {transfer.isPending
              ? "Transferindo…"
              : target === QUEUE
                ? "Devolver à fila"
                : allowQueue
                  ? "Transferir"
                  : "Atribuir"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
