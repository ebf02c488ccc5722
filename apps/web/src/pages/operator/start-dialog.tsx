import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { SelectField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";

/**
 * Atendimentos › Nova conversa: pick the number, type the customer's phone and
 * write (text inside the 24 h window, or on Evolution numbers), or pick an
 * approved template (how Meta numbers reach a customer outside the window).
 */
export function StartDialog({ onClose, onStarted }: { onClose: () => void; onStarted: (id: string) => void }) {
  const api = useApi();
  const numbers = useQuery({ queryKey: ["instances.options"], queryFn: () => api.instances.options.query() });
  const [instanceId, setInstanceId] = useState("");
  const [phone, setPhone] = useState("");
  const [body, setBody] = useState("");
  const [templateId, setTemplateId] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const number = instanceId || numbers.data?.[0]?.id || "";
  const templates = useQuery({
    queryKey: ["templates.list", "sendableOn", number],
    queryFn: () => api.templates.list.query({ sendableOn: number }),
    enabled: number !== "",
  });
  const chosen = templates.data?.find((t) => t.id === templateId);
  const start = useMutation({
    mutationFn: () =>
      api.conversations.start.mutate({
        instanceId: number,
        phone,
        ...(chosen
          ? {
              template: {
                templateId: chosen.id,
                variables: Object.fromEntries(chosen.variables.map((v) => [v, values[v] ?? ""])),
              },
            }
          : { body }),
      }),
    onSuccess: (r) => onStarted(r.conversationId),
  });
  return (
    <FormDialog
      title="Nova conversa"
      onClose={onClose}
      onSubmit={() => start.mutate()}
      error={start.error && errorMessage(start.error)}
      pending={start.isPending}
      canSubmit={number !== ""}
      submitLabel="Iniciar conversa"
      pendingLabel="Iniciando…"
    >
      <SelectField label="Número" value={number} onChange={(e) => setInstanceId(e.target.value)}>
        {numbers.data?.map((n) => (
          <option key={n.id} value={n.id}>
            {n.name} ({n.provider === "META" ? "Meta" : "Evolution"})
          </option>
        ))}
      </SelectField>
      <TextField
        label="Telefone do cliente"
        type="tel"
        required
        autoFocus
        maxLength={40}
        placeholder="(11) 98765-4321"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
      />
      <SelectField label="Modelo aprovado" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
        <option value="">Nenhum: escrever texto (dentro da janela de 24 h)</option>
        {templates.data?.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </SelectField>
      {chosen ? (
        chosen.variables.map((v) => (
          <TextField
            key={v}
            label={`Valor de {{${v}}}`}
            required
            maxLength={1024}
            value={values[v] ?? ""}
            onChange={(e) => setValues({ ...values, [v]: e.target.value })}
          />
        ))
      ) : (
        <div className="field">
          <label htmlFor="start-body">Mensagem</label>
          <textarea
            id="start-body"
            rows={3}
            required
            maxLength={4096}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
      )}
    </FormDialog>
  );
}
