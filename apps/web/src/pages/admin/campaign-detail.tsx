import type { CampaignProgress as ProgressCounters } from "@elsehu/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";
import { ErrorBox, Loading, Notice } from "../../ui/feedback";
import { useToast } from "../../ui/toast";
import { CsvUpload } from "./campaign-csv-upload";
import { CampaignProgress } from "./campaign-progress";
import { CAMPAIGN_STATUS } from "./campaigns-page";

/** One campaign: audience upload while a draft, live progress, pause/resume/cancel, results CSV. */
export function CampaignDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const campaign = useQuery({ queryKey: ["campaigns.get", id], queryFn: () => api.campaigns.get.query({ id }) });
  const stats = useQuery({ queryKey: ["campaigns.stats", id], queryFn: () => api.campaigns.stats.query({ id }) });
  useTrackedSubscription<ProgressCounters>(
    (last, h) => api.campaigns.onProgress.subscribe({ campaignId: id, lastEventId: last ?? null }, h),
    {
      key: id,
      onData: (s) => {
        // campaign.progress carries exactly the stats counters (core publishProgress).
        qc.setQueryData(["campaigns.stats", id], s);
        if (s.status !== campaign.data?.status) void qc.invalidateQueries({ queryKey: ["campaigns.get", id] });
      },
    },
  );
  const act = useMutation({
    mutationFn: (verb: "start" | "pause" | "resume" | "cancel") => api.campaigns[verb].mutate({ id }),
    onSuccess: (_r, verb) => {
      toast(
        {
          start: "Campanha iniciada.",
          pause: "Campanha pausada.",
          resume: "Campanha retomada.",
          cancel: "Campanha cancelada.",
        }[verb],
      );
      void qc.invalidateQueries({ queryKey: ["campaigns.get", id] });
      void qc.invalidateQueries({ queryKey: ["campaigns.stats", id] });
      void qc.invalidateQueries({ queryKey: ["campaigns.list"] });
    },
  });
  const c = campaign.data;
  const s = stats.data;
  if (campaign.isPending) return <Loading />;
  if (campaign.error || !c)
    return <ErrorBox message={errorMessage(campaign.error)} onRetry={() => void campaign.refetch()} />;
  const isCsv = c.audience.kind === "csv";

  return (
    <section className="stack" aria-labelledby="campaign-title">
      <header className="page-header">
        <div>
          <button type="button" className="btn btn-ghost btn-small" onClick={onBack}>
            ← Campanhas
          </button>
          <h1 id="campaign-title">{c.name}</h1>
          <p className="muted">
            <span className={`badge campaign-${c.status.toLowerCase()}`}>{CAMPAIGN_STATUS[c.status]}</span> · criada em{" "}
            {formatDateTime(c.createdAt)} · {c.pacePerMinute === 0 ? "velocidade máxima" : `${c.pacePerMinute}/min`}
            {c.window ? ` · das ${c.window.start} às ${c.window.end}` : ""}
          </p>
        </div>
        <div className="chat-actions">
          {c.status === "DRAFT" && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={act.isPending || (isCsv && !s?.total)}
              onClick={() => act.mutate("start")}
            >
              Iniciar envio
            </button>
          )}
          {c.status === "RUNNING" && (
            <button type="button" className="btn" disabled={act.isPending} onClick={() => act.mutate("pause")}>
              Pausar
            </button>
          )}
          {c.status === "PAUSED" && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={act.isPending}
              onClick={() => act.mutate("resume")}
            >
              Retomar
            </button>
          )}
          {["DRAFT", "SCHEDULED", "RUNNING", "PAUSED"].includes(c.status) && (
            <button
              type="button"
              className="btn"
              disabled={act.isPending}
              onClick={() => {
                if (window.confirm("Cancelar a campanha? Os destinatários pendentes não receberão a mensagem."))
                  act.mutate("cancel");
              }}
            >
              Cancelar campanha
            </button>
          )}
          <a className="btn" href={`/campaigns/${c.id}/results.csv`} download>
            Baixar resultados (CSV)
          </a>
        </div>
      </header>
      {act.error && <ErrorBox message={errorMessage(act.error)} />}
      {c.status === "DRAFT" && isCsv && <CsvUpload campaignId={c.id} onDone={() => void stats.refetch()} />}
      {c.status === "DRAFT" && !isCsv && (
        <Notice>O público (contatos com as etiquetas escolhidas) é definido no momento em que o envio começa.</Notice>
      )}
      {stats.error && <ErrorBox message={errorMessage(stats.error)} onRetry={() => void stats.refetch()} />}
      {s && <CampaignProgress stats={s} />}
    </section>
  );
}
