import { formatDuration } from "../../lib/format";

const DAY_MS = 24 * 3600 * 1000;

/** Whether the customer wrote in the last 24 h (WhatsApp's free-form window). */
export function windowState(lastInboundAt: string | Date | null, now: number) {
  if (!lastInboundAt) return { open: false, leftMs: 0 };
  const left = new Date(lastInboundAt).getTime() + DAY_MS - now;
  return { open: left > 0, leftMs: Math.max(0, left) };
}

export function WindowBadge({ lastInboundAt, now }: { lastInboundAt: string | Date | null; now: number }) {
  const w = windowState(lastInboundAt, now);
  return w.open ? (
    <span className="badge badge-ok" title="Mensagens livres permitidas até a janela fechar">
      Janela de 24 h aberta · fecha em {formatDuration(w.leftMs)}
    </span>
  ) : (
    <span className="badge badge-warn" title="Sem mensagem do cliente nas últimas 24 h">
      Janela de 24 h fechada · só modelos
    </span>
  );
}
