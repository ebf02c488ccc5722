import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { ErrorBox } from "../../ui/feedback";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { WebhookDeliveriesDialog } from "./webhook-deliveries-dialog";
import { type EndpointRow, WebhookEndpointDialog } from "./webhook-endpoint-dialog";
import { typeLabel } from "./webhook-labels";

type Open = { kind: "new" } | { kind: "edit"; endpoint: EndpointRow } | { kind: "deliveries"; endpoint: EndpointRow };

/** Administração › Webhooks: outbound endpoints (signed POSTs of chosen events) and their deliveries. */
export default function WebhooksPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState<Open | null>(null);
  const list = useQuery({ queryKey: ["webhookEndpoints.list"], queryFn: () => api.webhookEndpoints.list.query() });
  const refresh = () => qc.invalidateQueries({ queryKey: ["webhookEndpoints.list"] });
  const toggle = useMutation({
    mutationFn: (e: { id: string; enabled: boolean }) => api.webhookEndpoints.update.mutate(e),
    onSuccess: async (e) => {
      toast(e.enabled ? "Webhook ativado." : "Webhook desativado.");
      await refresh();
    },
  });
  const test = useMutation({
    mutationFn: (id: string) => api.webhookEndpoints.sendTest.mutate({ endpointId: id }),
    onSuccess: () => toast("Entrega de teste enviada: acompanhe em “Entregas”."),
  });
  const rows = list.data ?? [];
  const failure = toggle.error ?? test.error;

  return (
    <ListPage
      title="Webhooks"
      action={{ label: "Novo webhook", onClick: () => setOpen({ kind: "new" }) }}
      intro={
        <>
          <p className="muted">
            Cada evento escolhido vira um POST assinado (cabeçalho X-Elsehu-Signature) para a URL do sistema integrado.
            Falhas são repetidas por até 24 h; após falhas seguidas o webhook é desativado.
          </p>
          {failure && <ErrorBox message={errorMessage(failure)} />}
        </>
      }
      query={list}
      rows={rows}
      empty={{ title: "Nenhum webhook ainda", body: "Crie o primeiro com o botão “Novo webhook”." }}
      caption="Webhooks"
      columns={
        <>
          <th scope="col">URL</th>
          <th scope="col">Eventos</th>
          <th scope="col">Situação</th>
        </>
      }
      rowKey={(e) => e.id}
      cells={(e) => (
        <>
          <td className="break-anywhere">
            {e.url}
            {e.description && <div className="muted">{e.description}</div>}
          </td>
          <td>
            {e.eventTypes.map((t) => (
              <div key={t}>{typeLabel(t)}</div>
            ))}
          </td>
          <td>
            {e.enabled ? (
              <span className="badge badge-ok">Ativo</span>
            ) : (
              <span className="badge badge-danger">
                {e.disabledReason === "failures" ? "Desativado por falhas" : "Desativado"}
              </span>
            )}
            {e.disabledAt && <div className="muted">desde {formatDateTime(e.disabledAt)}</div>}
            {e.consecutiveFailures > 0 && (
              <div className="muted">
                {e.consecutiveFailures === 1 ? "1 falha seguida" : `${e.consecutiveFailures} falhas seguidas`}
              </div>
            )}
          </td>
          <td className="actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setOpen({ kind: "deliveries", endpoint: e })}
            >
              Entregas
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={!e.enabled || test.isPending}
              onClick={() => test.mutate(e.id)}
            >
              Enviar teste
            </button>
            <button type="button" className="btn btn-small" onClick={() => setOpen({ kind: "edit", endpoint: e })}>
              Editar
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={toggle.isPending}
              onClick={() => toggle.mutate({ id: e.id, enabled: !e.enabled })}
            >
              {e.enabled ? "Desativar" : "Ativar"}
            </button>
          </td>
        </>
      )}
    >
      {open?.kind === "new" && <WebhookEndpointDialog onClose={() => setOpen(null)} />}
      {open?.kind === "edit" && <WebhookEndpointDialog endpoint={open.endpoint} onClose={() => setOpen(null)} />}
      {open?.kind === "deliveries" && (
        <WebhookDeliveriesDialog endpoint={open.endpoint} onClose={() => setOpen(null)} />
      )}
    </ListPage>
  );
}
