import { memo } from "react";
import { formatWhen } from "../../lib/format";
import type { Message, MessageStatus } from "../../lib/types";

const TICK: Record<MessageStatus, { icon: string; label: string; className: string }> = {
  QUEUED: { icon: "⏱", label: "Na fila de envio", className: "tick" },
  SENT: { icon: "✓", label: "Enviada", className: "tick" },
  DELIVERED: { icon: "✓✓", label: "Entregue", className: "tick" },
  READ: { icon: "✓✓", label: "Lida", className: "tick tick-read" },
  FAILED: { icon: "!", label: "Falhou", className: "tick tick-failed" },
};

const TYPE_LABEL: Record<string, string> = {
  image: "Imagem",
  audio: "Áudio",
  video: "Vídeo",
  document: "Documento",
  location: "Localização",
  sticker: "Figurinha",
  template: "Modelo",
  contacts: "Contato",
};

/** One message: text (or a media label), time and, for outbound ones, its delivery tick. */
export const MessageBubble = memo(function MessageBubble({
  message,
  onReply,
}: {
  message: Message;
  onReply?: (m: Message) => void;
}) {
  const out = message.direction === "OUT";
  const tick = out ? TICK[message.status] : null;
  const media = message.type !== "text" ? (TYPE_LABEL[message.type] ?? message.type) : null;
  return (
    <div className={out ? "msg msg-out" : "msg msg-in"}>
      <div className="msg-bubble">
        {media && <span className="msg-media">[{media}]</span>}
        {message.body && <span className="msg-text">{message.body}</span>}
        <span className="msg-meta">
          <time dateTime={String(message.createdAt)}>{formatWhen(message.createdAt)}</time>
          {tick && (
            <span className={tick.className} title={tick.label}>
              <span aria-hidden="true">{tick.icon}</span>
              <span className="sr-only">{tick.label}</span>
            </span>
          )}
        </span>
        {message.status === "FAILED" && (
          <span className="msg-error" role="note">
            Não enviada: {message.errorMessage ?? message.errorCode ?? "motivo não informado pelo WhatsApp"}
          </span>
        )}
      </div>
      {onReply && (
        <button type="button" className="btn btn-ghost btn-small msg-reply" onClick={() => onReply(message)}>
          Responder<span className="sr-only"> a esta mensagem</span>
        </button>
      )}
    </div>
  );
});
