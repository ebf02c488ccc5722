import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { EmptyState, ErrorBox } from "../../ui/feedback";
import { TextField } from "../../ui/field";

/** Same variable syntax as the server: {{1}} or {{nome}}. */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*|\d+)\s*\}\}/g;

/** The text the customer will read; a variable not filled yet shows as [nome]. */
function render(body: string, values: Record<string, string>): string {
  return body.replace(VARIABLE, (_whole, name: string) => values[name]?.trim() || `[${name}]`);
}

/** Why the picker is shown: the window is closed, WhatsApp refused free text, or the operator chose it. */
export type PickerReason = "window" | "refused" | "chosen";

/**
 * Sends an approved template (messages.sendTemplate): the only message Meta
 * accepts once the customer has been silent for 24 h. Lists the active
 * templates this conversation's number may send, asks for each variable and
 * previews the text the customer will read (which is also what the chat shows).
 */
export function TemplatePicker({
  conversationId,
  instanceId,
  reason,
  replyToId,
  onSent,
}: {
  conversationId: string;
  instanceId: string;
  reason: PickerReason;
  /** The message this template answers, if the operator chose one. */
  replyToId: string | null;
  onSent: () => void;
}) {
  const api = useApi();
  const id = useId();
  const [templateId, setTemplateId] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const templates = useQuery({
    queryKey: ["templates.list", "sendableOn", instanceId],
    queryFn: () => api.templates.list.query({ sendableOn: instanceId }),
  });
  const chosen = templates.data?.find((t) => t.id === templateId);
  const variables = chosen?.variables ?? [];
  const send = useMutation({
    mutationFn: () =>
      api.messages.sendTemplate.mutate({
        conversationId,
        templateId,
        variables: Object.fromEntries(variables.map((v) => [v, values[v]?.trim() ?? ""])),
        ...(replyToId ? { replyToId } : {}),
      }),
    onSuccess: () => {
      setTemplateId("");
      setValues({});
      onSent();
    },
  });
  const complete = chosen !== undefined && variables.every((v) => values[v]?.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (complete && !send.isPending) send.mutate();
  };
  return (
    <form className="template-picker" onSubmit={submit} aria-label="Enviar modelo">
      {reason === "window" && (
        <p className="composer-warning" role="note">
          Fora da janela de 24 horas: envie um modelo. O cliente não escreve há mais de 24 h e, em números da Meta, só
          um modelo aprovado pode reabrir a conversa.
        </p>
      )}
      {reason === "refused" && (
        <p className="composer-warning" role="alert">
          Fora da janela de 24 horas: envie um modelo. O WhatsApp recusou o texto livre; escolha um modelo aprovado.
        </p>
      )}
      {templates.error && <ErrorBox message={errorMessage(templates.error)} onRetry={() => void templates.refetch()} />}
      {templates.isSuccess && templates.data.length === 0 ? (
        <EmptyState title="Nenhum modelo disponível para este número">
          <p>Peça a um administrador para cadastrar um modelo ativo (aprovado na Meta, em números oficiais).</p>
        </EmptyState>
      ) : (
        <div className="composer-row">
          <label htmlFor={id} className="sr-only">
            Modelo
          </label>
          <select
            id={id}
            value={templateId}
            onChange={(e) => {
              setTemplateId(e.target.value);
              send.reset();
            }}
          >
            <option value="">{templates.isPending ? "Carregando modelos…" : "Escolha um modelo…"}</option>
            {templates.data?.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary" disabled={!complete || send.isPending}>
            {send.isPending ? "Enviando…" : "Enviar modelo"}
          </button>
        </div>
      )}
      {variables.length > 0 && (
        <fieldset className="samples template-variables">
          <legend>Variáveis do modelo</legend>
          {variables.map((v) => (
            <TextField
              key={v}
              label={`Valor de {{${v}}}`}
              required
              maxLength={1024}
              value={values[v] ?? ""}
              onChange={(e) => setValues((s) => ({ ...s, [v]: e.target.value }))}
            />
          ))}
        </fieldset>
      )}
      {chosen && (
        <div className="msg msg-out preview-bubble" aria-live="polite">
          <div className="msg-bubble">
            <span className="msg-text" data-testid="template-chat-preview">
              {render(chosen.body, values)}
            </span>
          </div>
        </div>
      )}
      {send.error && <ErrorBox message={errorMessage(send.error)} />}
    </form>
  );
}
