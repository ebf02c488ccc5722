import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Dialog } from "../../ui/dialog";
import { ErrorBox, Loading, Notice } from "../../ui/feedback";
import { connectionOf, type Instance, INSTANCES_KEY as KEY } from "./instance-shared";

/**
 * Evolution pairing: asks for a QR code, shows it, and polls the connection
 * state every few seconds until the phone has read it (events refresh the list too).
 */
export function InstanceConnectDialog({ instance, onClose }: { instance: Instance; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const connect = useMutation({ mutationFn: () => api.instances.connect.mutate({ id: instance.id }) });
  // biome-ignore lint/correctness/useExhaustiveDependencies: ask for a QR once, when the dialog opens
  useEffect(() => {
    connect.mutate();
  }, []);
  const state = useQuery({
    queryKey: ["instances.connectionState", instance.id],
    queryFn: () => api.instances.connectionState.query({ id: instance.id }),
    enabled: connect.isSuccess,
    refetchInterval: (q) => (q.state.data?.connectionStatus === "open" ? false : 3000),
  });
  const status = state.data?.connectionStatus ?? connect.data?.connectionStatus;
  const open = status === "open";
  useEffect(() => {
    if (open) void qc.invalidateQueries({ queryKey: KEY });
  }, [open, qc]);
  const qr = state.data?.qrCode ?? connect.data?.qrCode ?? null;
  const src = qr && (qr.startsWith("data:") ? qr : `data:image/png;base64,${qr}`);
  return (
    <Dialog title={`Conectar ${instance.name}`} onClose={onClose}>
      <div className="dialog-body stack">
        {connect.isPending && <Loading label="Pedindo o QR code à Evolution…" />}
        {connect.error && <ErrorBox message={errorMessage(connect.error)} onRetry={() => connect.mutate()} />}
        {state.error && <ErrorBox message={errorMessage(state.error)} onRetry={() => void state.refetch()} />}
        {open ? (
          <Notice tone="success">Conectado! O número já pode receber e enviar mensagens.</Notice>
        ) : (
          src && (
            <>
              <p>No celular, abra o WhatsApp › Aparelhos conectados › Conectar um aparelho e leia o código:</p>
              <img className="qr-image" src={src} alt={`QR code para conectar ${instance.name}`} />
              {connect.data?.pairingCode && (
                <p>
                  Ou use o código de pareamento: <strong>{connect.data.pairingCode}</strong>
                </p>
              )}
            </>
          )
        )}
        {status && (
          <p role="status">
            Situação: <span className={connectionOf(status).className}>{connectionOf(status).label}</span>
          </p>
        )}
        <footer className="dialog-footer">
          {!open && (
            <button type="button" className="btn" onClick={() => connect.mutate()} disabled={connect.isPending}>
              Gerar novo QR code
            </button>
          )}
          <button type="button" className="btn btn-primary" onClick={onClose}>
            {open ? "Concluir" : "Fechar"}
          </button>
        </footer>
      </div>
    </Dialog>
  );
}
