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

type Target = { id: string; name: string; label: string; full: boolean; departmentIds?: string[] };

/**
 * Hands a conversation over: to a colleague, to a department (its queue, or one
 * of its operators) or back to the queue, with a note the receiver sees (in the
 * timeline and in his notification). Staff pick any operator from the presence
 * board (loads shown) and may force over capacity; an operator picks among the
 * colleagues online now (`presence.transferTargets`), those with room.
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
  const colleagues = useQuery({
    queryKey: ["presence.transferTargets"],
    queryFn: () => api.presence.transferTargets.query(),
    enabled: !staff,
  });
  const [target, setTarget] = useState(allowQueue ? QUEUE : "");
  const [force, setForce] = useState(false);
  const [department, setDepartment] = useState("");
  const [note, setNote] = useState("");
  const departments = useQuery({
    queryKey: ["departments.list", "targets"],
    queryFn: () => api.departments.options.query(),
  });
  const toDepartment = departments.data?.find((d) => d.id === department);
  const targets: Target[] = staff
    ? (board.data ?? [])
        .filter((o) => o.role === "OPERATOR" && o.userId !== currentOperatorId)
        .map((o) => ({
          id: o.userId,
          name: o.name,
          full: o.openCount >= o.maxConcurrent,
          label: `${o.name} — ${PRESENCE_LABEL[o.presence]}, ${o.openCount}/${o.maxConcurrent} atendimentos`,
        }))
    : (colleagues.data ?? [])
        // To a department and a colleague: he must be one of its operators.
        .filter((c) => !department || c.departmentIds.includes(department))
        .map((c) => ({ id: c.id, name: c.name, full: !c.hasRoom, label: c.hasRoom ? c.name : `${c.name} (sem vaga)` }));
  const chosen = targets.find((o) => o.id === target);
  const full = chosen?.full ?? false;
  const list = staff ? board : colleagues;
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
        {(departments.data?.length ?? 0) > 0 && (
          <SelectField
            label="Departamento"
            value={department}
            onChange={(e) => setDepartment(e.target.value)}
            hint="Para outro departamento: a conversa entra na fila dele (ou vai ao colega escolhido, que deve ser membro)."
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
        {list.isPending && <Loading label="Carregando operadores…" />}
        {list.error && <ErrorBox message={errorMessage(list.error)} onRetry={() => void list.refetch()} />}
        {list.data && (
          <SelectField
            label="Destino"
            autoFocus
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            hint={staff ? undefined : "Colegas online agora. A fila mantém a posição da conversa."}
          >
            {allowQueue ? (
              <option value={QUEUE}>{toDepartment ? `Fila de ${toDepartment.name}` : "Devolver à fila"}</option>
            ) : (
              <option value="">Escolha um operador…</option>
            )}
            {targets.map((o) => (
              <option key={o.id} value={o.id} disabled={!staff && o.full}>
                {o.label}
              </option>
            ))}
          </SelectField>
        )}
        {staff && chosen && (
          <>
            {full && (
              <p className="field-error" role="note">
                {chosen.name} está no limite. Marque “Forçar” para atribuir mesmo assim.
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
