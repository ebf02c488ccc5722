import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";
import { ListPage } from "../../ui/list-page";
import { useToast } from "../../ui/toast";
import { InstanceConnectDialog } from "./instance-connect-dialog";
import { InstanceDetailsDialog } from "./instance-details-dialog";
import { InstanceFormDialog } from "./instance-form-dialog";
import { InstanceRoutingDialog } from "./instance-routing-dialog";
import { connectionOf, type Instance, INSTANCES_KEY as KEY, webhookUrl } from "./instance-shared";

type Dialog =
  | { kind: "create" }
  | { kind: "edit"; instance: Instance }
  | { kind: "connect"; instance: Instance }
  | { kind: "routing"; instance: Instance }
  | { kind: "details"; instance: Instance }
  | null;

function routingLabel(routing: Instance["routing"]): string {
  if (routing?.mode === "MENU") return `Menu (${routing.options.length} opções)`;
  if (routing?.mode === "DEPARTMENT") return "Um departamento";
  return "Fila geral";
}

/** Administração › Números: WhatsApp numbers (Meta Cloud API and Evolution), their connection live. */
export default function InstancesPage() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<Dialog>(null);
  const list = useQuery({ queryKey: KEY, queryFn: () => api.instances.list.query() });
  useTrackedSubscription(
    (last, h) => api.events.onInstance.subscribe({ lastEventId: last === undefined ? undefined : Number(last) }, h),
    { onData: () => void qc.invalidateQueries({ queryKey: KEY }) },
  );
  const remove = useMutation({
    mutationFn: (i: Instance) => api.instances.delete.mutate({ id: i.id }),
    onSuccess: () => {
      toast("Número excluído.");
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const logout = useMutation({
    mutationFn: (i: Instance) => api.instances.logout.mutate({ id: i.id }),
    onSuccess: () => {
      toast("Número desconectado.");
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => toast(errorMessage(e)),
  });
  const rows = list.data ?? [];

  return (
    <ListPage
      title="Números"
      action={{ label: "Novo número", onClick: () => setDialog({ kind: "create" }) }}
      intro={
        <p className="muted">
          Cada número de WhatsApp é uma instância: pela API oficial da Meta (Cloud API) ou pela Evolution API (pareada
          por QR code).
        </p>
      }
      query={list}
      rows={rows}
      empty={{
        title: "Nenhum número ainda",
        body: "Cadastre o primeiro com “Novo número” para receber e enviar mensagens.",
      }}
      caption="Números de WhatsApp"
      columns={
        <>
          <th scope="col">Nome</th>
          <th scope="col">Provedor</th>
          <th scope="col">Conexão</th>
          <th scope="col">Primeiro contato</th>
          <th scope="col">URL do webhook</th>
        </>
      }
      rowKey={(i) => i.id}
      cells={(i) => {
        const conn = connectionOf(i.connectionStatus);
        return (
          <>
            <td>
              {i.name}
              {!i.active && <span className="badge badge-off"> Inativo</span>}
            </td>
            <td>{i.provider === "META" ? "Meta (Cloud API)" : "Evolution API"}</td>
            <td>
              <span className={conn.className} data-testid={`conn-${i.name}`}>
                {conn.label}
              </span>
              {!i.secretsReadable && (
                <div className="field-error small">Credenciais ilegíveis: informe-as de novo.</div>
              )}
            </td>
            <td>{routingLabel(i.routing)}</td>
            <td>
              <code className="webhook-url">{webhookUrl(i)}</code>
            </td>
            <td className="actions">
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setDialog({ kind: "edit", instance: i })}
                aria-label={`Editar ${i.name}`}
              >
                Editar
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setDialog({ kind: "routing", instance: i })}
                aria-label={`Roteamento de ${i.name}`}
              >
                Roteamento
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setDialog({ kind: "details", instance: i })}
                aria-label={`Detalhes de ${i.name}`}
              >
                Detalhes
              </button>
              {i.provider === "EVOLUTION" && i.connectionStatus !== "open" && (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setDialog({ kind: "connect", instance: i })}
                  aria-label={`Conectar ${i.name}`}
                >
                  Conectar
                </button>
              )}
              {i.provider === "EVOLUTION" && i.connectionStatus === "open" && (
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={logout.isPending}
                  onClick={() => {
                    if (window.confirm(`Desconectar ${i.name}? O celular precisará ler o QR code de novo.`))
                      logout.mutate(i);
                  }}
                  aria-label={`Desconectar ${i.name}`}
                >
                  Desconectar
                </button>
              )}
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  if (window.confirm(`Excluir o número “${i.name}”?`)) remove.mutate(i);
                }}
                aria-label={`Excluir ${i.name}`}
              >
                Excluir
              </button>
            </td>
          </>
        );
      }}
    >
      {dialog?.kind === "details" && (
        <InstanceDetailsDialog instance={dialog.instance} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "connect" && (
        <InstanceConnectDialog instance={dialog.instance} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "routing" && (
        <InstanceRoutingDialog
          instance={dialog.instance}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void qc.invalidateQueries({ queryKey: KEY });
          }}
        />
      )}
      {(dialog?.kind === "create" || dialog?.kind === "edit") && (
        <InstanceFormDialog
          instance={dialog.kind === "edit" ? dialog.instance : null}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void qc.invalidateQueries({ queryKey: KEY });
          }}
        />
      )}
    </ListPage>
  );
}
