import type { WebhookEventType } from "@elsehu/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Dialog } from "../../ui/dialog";
import { ErrorBox, Notice } from "../../ui/feedback";
import { CheckboxField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { EVENT_TYPE_LABEL, EVENT_TYPES } from "./webhook-labels";

export type EndpointRow = { id: string; url: string; description: string; eventTypes: string[] };

/**
 * "Novo webhook" / "Editar webhook": URL, description and event types. On
 * creation the signing secret is shown once; later an admin may reveal it here.
 */
export function WebhookEndpointDialog({ endpoint, onClose }: { endpoint?: EndpointRow; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [types, setTypes] = useState<WebhookEventType[]>((endpoint?.eventTypes ?? []) as WebhookEventType[]);
  const save = useMutation({
    mutationFn: async () => {
      const input = { url: url.trim(), description: description.trim(), eventTypes: types };
      if (endpoint) {
        await api.webhookEndpoints.update.mutate({ id: endpoint.id, ...input });
        return null;
      }
      return (await api.webhookEndpoints.create.mutate(input)).secret;
    },
    onSuccess: async (secret) => {
      await qc.invalidateQueries({ queryKey: ["webhookEndpoints.list"] });
      if (secret === null) onClose();
    },
  });
  const reveal = useMutation({
    mutationFn: (id: string) => api.webhookEndpoints.revealSecret.mutate({ id }),
  });
  const toggle = (type: WebhookEventType, on: boolean) =>
    setTypes((s) => (on ? [...s, type] : s.filter((x) => x !== type)));

  if (save.data) {
    return (
      <Dialog title="Webhook criado" onClose={onClose}>
        <div className="dialog-body">
          <Notice tone="success">
            Guarde o segredo: o receptor o usa para conferir a assinatura (X-Elsehu-Signature) de cada entrega.
          </Notice>
          <TextField label="Segredo" readOnly value={save.data} onFocus={(e) => e.currentTarget.select()} />
          <footer className="dialog-footer">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Concluir
            </button>
          </footer>
        </div>
      </Dialog>
    );
  }

  return (
    <FormDialog
      title={endpoint ? "Editar webhook" : "Novo webhook"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={!!url.trim() && types.length > 0}
      submitLabel={endpoint ? "Salvar" : "Criar webhook"}
    >
      <TextField
        label="URL"
        type="url"
        required
        autoFocus
        maxLength={2000}
        placeholder="https://exemplo.com.br/webhooks/elsehu"
        hint="Endereço público (https recomendado) que recebe um POST por evento."
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      <TextField
        label="Descrição (opcional)"
        maxLength={200}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <fieldset className="fieldset">
        <legend>Eventos</legend>
        {EVENT_TYPES.map((type) => (
          <CheckboxField
            key={type}
            label={EVENT_TYPE_LABEL[type]}
            checked={types.includes(type)}
            onChange={(e) => toggle(type, e.target.checked)}
          />
        ))}
      </fieldset>
      {endpoint && (
        <div className="field">
          {reveal.data ? (
            <TextField label="Segredo" readOnly value={reveal.data.secret} onFocus={(e) => e.currentTarget.select()} />
          ) : (
            <button
              type="button"
              className="btn btn-small"
              disabled={reveal.isPending}
              onClick={() => reveal.mutate(endpoint.id)}
            >
              Revelar segredo
            </button>
          )}
          {reveal.error && <ErrorBox message={errorMessage(reveal.error)} />}
        </div>
      )}
    </FormDialog>
  );
}
