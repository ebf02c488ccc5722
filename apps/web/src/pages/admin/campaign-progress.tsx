import { formatDateTime, formatInt } from "../../lib/format";
import type { CampaignStats } from "../../lib/types";

/** Campaign detail › "Progresso": the bar, one counter per recipient outcome, the pace and the estimated end. */
export function CampaignProgress({ stats: s }: { stats: CampaignStats }) {
  const done = s.total - s.pending - s.sending;
  return (
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
