import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { Dialog } from "../../ui/dialog";
import { INSTANCES_KEY } from "./instance-shared";

type Instance = {
  id: string;
  name: string;
  provider: "META" | "EVOLUTION";
  providerDetails: Record<string, string> | null;
};

const QUALITY: Record<string, string> = {
  GREEN: "🟢 Alta",
  YELLOW: "🟡 Média",
  RED: "🔴 Baixa",
  NA: "Sem avaliação",
  UNKNOWN: "Sem avaliação",
};
const LIMIT = (v: string) => {
  const n = /TIER_(\w+)/.exec(v)?.[1];
  if (!n) return v;
  return n === "UNLIMITED" ? "Ilimitado" : `${n.replace(/K$/, " mil")} conversas por dia`;
};

/** What the provider says of a number (Meta: name, phone, quality, limit), read again on demand. */
export function InstanceDetailsDialog({ instance, onClose }: { instance: Instance; onClose: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const [details, setDetails] = useState(instance.providerDetails ?? {});
  const verify = useMutation({
    mutationFn: () => api.instances.verify.mutate({ id: instance.id }),
    onSuccess: (after) => {
      setDetails(after.providerDetails ?? {});
      void qc.invalidateQueries({ queryKey: INSTANCES_KEY });
    },
  });
  const rows: Array<[string, string | undefined]> =
    instance.provider === "META"
      ? [
          ["Nome verificado", details.verifiedName],
          ["Telefone", details.displayPhoneNumber],
          ["Qualidade", details.qualityRating && (QUALITY[details.qualityRating] ?? details.qualityRating)],
          ["Limite de envio", details.messagingLimit && LIMIT(details.messagingLimit)],
          ["Situação do nome", details.nameStatus],
        ]
      : [
          ["Webhook configurado em", details.webhookUrl],
          [
            "Instância criada por nós",
            details.instanceCreated === "true" ? "Sim" : details.instanceCreated ? "Não" : undefined,
          ],
        ];
  return (
    <Dialog title={`Detalhes de ${instance.name}`} onClose={onClose}>
      <div className="dialog-body">
        <dl className="details-list">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value || "—"}</dd>
            </div>
          ))}
        </dl>
        <p className="muted small">
          {details.checkedAt
            ? `Consultado em ${formatDateTime(details.checkedAt)}`
            : "Ainda não consultado no provedor."}
        </p>
        {verify.error && (
          <p className="field-error" role="alert">
            {errorMessage(verify.error)}
          </p>
        )}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Fechar
          </button>
          <button type="button" className="btn btn-primary" disabled={verify.isPending} onClick={() => verify.mutate()}>
            {verify.isPending ? "Consultando…" : "Consultar agora"}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
