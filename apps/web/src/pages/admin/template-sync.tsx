import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { useToast } from "../../ui/toast";
import { INSTANCES_KEY } from "./instance-shared";

/**
 * "Sincronizar com a Meta": asks the worker to pull the approved templates of a Meta number
 * (name, language, category, components, status); the list refreshes as they arrive.
 */
export function TemplateSync() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const instances = useQuery({ queryKey: INSTANCES_KEY, queryFn: () => api.instances.list.query() });
  const metas = (instances.data ?? []).filter((i) => i.provider === "META" && i.active);
  const [chosen, setChosen] = useState("");
  const instanceId = chosen || metas[0]?.id || "";
  const sync = useMutation({
    mutationFn: () => api.templates.syncFromMeta.mutate({ instanceId }),
    onSuccess: () => {
      toast("Sincronização pedida: os modelos aprovados aparecem em instantes.");
      // The job runs in the worker: look again shortly, then once more.
      for (const ms of [1500, 5000]) {
        setTimeout(() => void qc.invalidateQueries({ queryKey: ["templates.list"] }), ms);
      }
    },
    onError: (e) => toast(errorMessage(e)),
  });
  if (metas.length === 0) return null;
  return (
    <div className="template-sync">
      {metas.length > 1 && (
        <label>
          <span className="sr-only">Número da Meta</span>
          <select value={instanceId} onChange={(e) => setChosen(e.target.value)}>
            {metas.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="btn" disabled={sync.isPending || !instanceId} onClick={() => sync.mutate()}>
        {sync.isPending ? "Pedindo…" : "Sincronizar com a Meta"}
      </button>
    </div>
  );
}
