import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ErrorBox } from "../../ui/feedback";

/**
 * Shown instead of the text box when the 24 h window is closed: WhatsApp (Meta)
 * only accepts an approved template then. The API has no procedure to send a
 * template inside a conversation yet, so the choice is shown with that
 * explanation and the send button stays disabled.
 */
export function TemplatePicker() {
  const api = useApi();
  const id = useId();
  const [templateId, setTemplateId] = useState("");
  const templates = useQuery({ queryKey: ["templates.list", ""], queryFn: () => api.templates.list.query({}) });
  const chosen = templates.data?.find((t) => t.id === templateId);
  return (
    <div className="template-picker">
      <p className="composer-warning" role="note">
        Fora da janela de 24 horas: envie um modelo. O cliente não escreve há mais de 24 h e, em números da Meta, só um
        modelo aprovado pode reabrir a conversa.
      </p>
      {templates.error && <ErrorBox message={errorMessage(templates.error)} onRetry={() => void templates.refetch()} />}
      <div className="composer-row">
        <label htmlFor={id} className="sr-only">
          Modelo
        </label>
        <select id={id} value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          <option value="">{templates.isPending ? "Carregando modelos…" : "Escolha um modelo…"}</option>
          {templates.data?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-primary" disabled aria-describedby={`${id}-why`}>
          Enviar modelo
        </button>
      </div>
      {chosen && <p className="template-body muted">{chosen.body}</p>}
      <p id={`${id}-why`} className="muted small">
        O envio de modelos dentro de uma conversa ainda não existe no servidor; use uma campanha para este contato.
      </p>
    </div>
  );
}
