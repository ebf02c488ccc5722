import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi, useMe } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { PRESENCE_LABEL } from "../../lib/format";
import { Dialog } from "../../ui/dialog";
import { ErrorBox, Loading } from "../../ui/feedback";
import { CheckboxField, SelectField, TextField } from "../../ui/field";
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
  const [department, setDepartment] = useState("");
  const [note, setNote] = useState("");
  const departments = useQuery({
    queryKey: ["departments.list", "targets"],
    queryFn: () => api.departments.options.query(),
  });
  const toDepartment = departments.data?.find((d) => d.id === department);
  const operators = (board.data ?? []).filter((o) => o.role === "OPERATOR" && o.userId !== currentOperatorId);
  const chosen = operators.find((o) => o.userId === target);
  const full = chosen ? chosen.openCount >= chosen.maxConcurrent : false;
  const transfer = useMutation({
    mutationFn: () =>
      api.conversations.transfer.mutate({
        id: conversationId,
        operatorId: target === QUEUE ? null : target,
        force: staff && force,
        ...(department ? { departmentId: department } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: () => {
      toast(
        target !== QUEUE
          ? `Conversa transferida para ${chosen?.name ?? "o operador"}.`
          : toDepartment
            ? `Conversa enviada para a fila de ${toDepartment.name}.`
            : "Conversa devolvida à fila.",
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
        {(departments.data?.length ?? 0) > 0 && (
          <SelectField
            label="Departamento"
            value={department}
            onChange={(e) => setDepartment(e.target.value)}
            hint="Para outro departamento: a conversa entra na fila dele (ou vai ao operador escolhido, que deve ser membro)."
          >
            <option value="">Manter o departamento atual</option>
            {departments.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
                {d.openNow ? "" : " (fora do horário)"}
              </option>
            ))}
          </SelectField>
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
        <TextField
          label="Observação (opcional)"
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          hint="Quem receber a conversa verá esta nota."
        />
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
                ? toDepartment
                  ? `Enviar para ${toDepartment.name}`
                  : "Devolver à fila"
                : allowQueue
                  ? "Transferir"
                  : "Atribuir"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
