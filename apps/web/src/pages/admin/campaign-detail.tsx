import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatDateTime, formatInt } from "../../lib/format";
import { getToken } from "../../lib/token";
import type { CampaignStats } from "../../lib/types";
import { useTrackedSubscription } from "../../lib/use-tracked-subscription";
import { ErrorBox, Loading, Notice } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { useToast } from "../../ui/toast";
import { type CsvResult, uploadCampaignCsv } from "./campaign-upload";
import { CAMPAIGN_STATUS } from "./campaigns-page";

/** One campaign: audience upload while a draft, live progress, pause/resume/cancel, results CSV. */
export function CampaignDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const campaign = useQuery({ queryKey: ["campaigns.get", id], queryFn: () => api.campaigns.get.query({ id }) });
  const stats = useQuery({ queryKey: ["campaigns.stats", id], queryFn: () => api.campaigns.stats.query({ id }) });
  useTrackedSubscription<Record<string, unknown>>(
    (last, h) => api.campaigns.onProgress.subscribe({ campaignId: id, lastEventId: last ?? null }, h),
    {
      key: id,
      onData: (payload) => {
        // campaign.progress carries exactly the stats counters (core publishProgress).
        const s = payload as unknown as CampaignStats;
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
  const done = s ? s.total - s.pending - s.sending : 0;
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
      {s && (
        <div className="card">
          <h2>Progresso</h2>
          <div className="progress-line">
            <progress max={Math.max(1, s.total)} value={done} aria-label="Progresso do envio" />
            <span>
              {formatInt(done)} de {formatInt(s.total)} ({s.total ? Math.round((done / s.total) * 100) : 0}%)
            </span>
          </div>
          <div className="cards">
            <Count label="Pendentes" n={s.pending} />
            <Count label="Enviadas" n={s.sent} />
            <Count label="Entregues" n={s.delivered} />
            <Count label="Lidas" n={s.read} />
            <Count label="Responderam" n={s.replied} />
            <Count label="Falharam" n={s.failed} />
            <Count label="Ignoradas (opt-out)" n={s.skippedOptedOut} />
            <Count label="Linhas inválidas do CSV" n={s.skippedInvalid} />
            <Count
              label="Incertas"
              n={s.unknown}
              hint="O envio foi interrompido durante a chamada ao WhatsApp: pode ou não ter chegado. Não é reenviada."
            />
          </div>
          <p className="muted small">
            Ritmo atual: {formatInt(s.currentRatePerMinute)}/min
            {s.estimatedEndAt ? ` · término estimado ${formatDateTime(s.estimatedEndAt)}` : ""}
          </p>
        </div>
      )}
    </section>
  );
}

function Count({ label, n, hint }: { label: string; n: number; hint?: string }) {
  return (
    <div className="stat" title={hint}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{formatInt(n)}</span>
    </div>
  );
}

function CsvUpload({ campaignId, onDone }: { campaignId: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [phoneColumn, setPhoneColumn] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<CsvResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const r = await uploadCampaignCsv(
        { campaignId, file, phoneColumn: phoneColumn.trim() || undefined, token: getToken() },
        setProgress,
      );
      setResult(r);
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Não foi possível enviar o arquivo.");
    } finally {
      setProgress(null);
    }
  };
  return (
    <div className="card">
      <h2>Lista de destinatários (CSV)</h2>
      <p className="muted small">
        Uma linha por destinatário, com cabeçalho. A coluna do telefone pode se chamar telefone, celular, whatsapp ou
        phone.
      </p>
      <div className="filters">
        <div className="field">
          <label htmlFor="campaign-csv">Arquivo CSV</label>
          <input
            id="campaign-csv"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <TextField
          label="Coluna do telefone (opcional)"
          value={phoneColumn}
          onChange={(e) => setPhoneColumn(e.target.value)}
        />
        <button
          type="button"
          className="btn btn-primary"
          disabled={!file || progress !== null}
          onClick={() => void send()}
        >
          Enviar lista
        </button>
      </div>
      {progress !== null && (
        <div className="progress-line">
          <progress max={1} value={progress} aria-label="Envio do arquivo" />
          <span>{progress >= 1 ? "Processando linhas…" : `${Math.round(progress * 100)}%`}</span>
        </div>
      )}
      {error && <ErrorBox message={error} />}
      {result && (
        <Notice tone="success">
          {formatInt(result.imported)} destinatários adicionados de {formatInt(result.rowsRead)} linhas
          {result.invalid > 0 ? `; ${formatInt(result.invalid)} linhas recusadas.` : "."}
        </Notice>
      )}
      {result && result.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Linhas recusadas</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Linha
                </th>
                <th scope="col">Valor</th>
                <th scope="col">Motivo</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.slice(0, 50).map((e) => (
                <tr key={`${e.line}-${e.reason}`}>
                  <td className="num">{e.line}</td>
                  <td>{e.value ?? "—"}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
