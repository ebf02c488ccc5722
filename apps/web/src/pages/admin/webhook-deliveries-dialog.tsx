import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { Dialog } from "../../ui/dialog";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { useToast } from "../../ui/toast";
import { DELIVERY_STATUS, typeLabel } from "./webhook-labels";

/** An endpoint's latest deliveries (refreshed while open), with "Reenviar" on each. */
export function WebhookDeliveriesDialog({
  endpoint,
  onClose,
}: {
  endpoint: { id: string; url: string };
  onClose: () => void;
}) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const key = ["webhookEndpoints.deliveries", endpoint.id];
  const list = useQuery({
    queryKey: key,
    queryFn: () => api.webhookEndpoints.deliveries.query({ endpointId: endpoint.id, limit: 30 }),
    refetchInterval: 2000,
  });
  const resend = useMutation({
    mutationFn: (deliveryId: number) => api.webhookEndpoints.resend.mutate({ endpointId: endpoint.id, deliveryId }),
    onSuccess: async () => {
      toast("Entrega reenviada.");
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const rows = list.data ?? [];
  return (
    <Dialog title="Entregas recentes" onClose={onClose} wide>
      <div className="dialog-body">
        <p className="muted break-anywhere">{endpoint.url}</p>
        {resend.error && <ErrorBox message={errorMessage(resend.error)} />}
        {list.isPending && <Loading />}
        {list.error ? <ErrorBox message={errorMessage(list.error)} onRetry={() => void list.refetch()} /> : null}
        {list.isSuccess && rows.length === 0 && (
          <EmptyState title="Nenhuma entrega ainda">
            <p>Use “Enviar teste” ou aguarde um evento assinado.</p>
          </EmptyState>
        )}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">Entregas do webhook</caption>
              <thead>
                <tr>
                  <th scope="col">Evento</th>
                  <th scope="col">Situação</th>
                  <th scope="col">Horário</th>
                  <th scope="col">Resposta</th>
                  <th scope="col">
                    <span className="sr-only">Ações</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id} data-delivery={d.publicId}>
                    <td>
                      {typeLabel(d.type)}
                      <div className="muted">
                        <code>{d.type}</code>
                      </div>
                    </td>
                    <td>
                      <span className={DELIVERY_STATUS[d.status].badge}>{DELIVERY_STATUS[d.status].label}</span>
                      <div className="muted">
                        {d.attempts === 1 ? "1 tentativa" : `${d.attempts} tentativas`}
                        {d.status === "PENDING" && d.attempts > 0 && ` · próxima ${formatDateTime(d.nextAttemptAt)}`}
                      </div>
                    </td>
                    <td>{formatDateTime(d.lastAttemptAt ?? d.createdAt)}</td>
                    <td>
                      {d.responseStatus !== null ? <code>HTTP {d.responseStatus}</code> : d.error ? d.error : "—"}
                      {d.responseExcerpt && (
                        <div className="muted break-anywhere">
                          <code>{d.responseExcerpt.slice(0, 200)}</code>
                        </div>
                      )}
                    </td>
                    <td className="actions">
                      {d.status !== "PENDING" && (
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={resend.isPending}
                          onClick={() => resend.mutate(d.id)}
                        >
                          Reenviar
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <footer className="dialog-footer">
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Fechar
          </button>
        </footer>
      </div>
    </Dialog>
  );
}
