import { memo } from "react";
import { formatWhen } from "../../lib/format";
import type { Message, MessageStatus } from "../../lib/types";
import { FileIcon } from "./file-preview";
import { KindContent, MediaState, noticeOf } from "./message-kinds";
import { formatBytes } from "./send-message";

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
  order: "Pedido",
  interactive: "Resposta",
  button: "Resposta",
};

/** Kinds whose content says what they are: no "[label]" before them. */
const SELF_EXPLAINED = new Set(["text", "contacts", "location", "order", "interactive", "button"]);

/** One message: text (or a media label), time and, for outbound ones, its delivery tick. */
export const MessageBubble = memo(function MessageBubble({
  message,
  onReply,
}: {
  message: Message;
  onReply?: (m: Message) => void;
}) {
  if (message.type === "note") return <NoteBubble message={message} />;
  const out = message.direction === "OUT";
  const tick = out ? TICK[message.status] : null;
  const notice = noticeOf(message);
  if (notice) {
    return (
      <p className="msg-notice" role="note">
        {notice} · <time dateTime={String(message.createdAt)}>{formatWhen(message.createdAt)}</time>
      </p>
    );
  }
  const deleted = message.deletedAt !== null;
  const label = SELF_EXPLAINED.has(message.type) ? null : (TYPE_LABEL[message.type] ?? message.type);
  const file = message.media && (message.media.storageKey || message.media.url) ? message.media : null;
  const waiting = message.media && !file ? message.media.state : undefined;
  const previous = message.editHistory?.[message.editHistory.length - 1];
  return (
    <div className={out ? "msg msg-out" : "msg msg-in"}>
      <div className={deleted ? "msg-bubble msg-deleted" : "msg-bubble"}>
        {deleted && <span className="msg-deleted-label">🚫 Mensagem apagada pelo cliente</span>}
        {file ? (
          <MediaContent messageId={message.id} type={message.type} media={file} label={label ?? "Arquivo"} />
        ) : (
          label && !deleted && <span className="msg-media">[{label}]</span>
        )}
        {waiting && <MediaState message={message} />}
        {!deleted && <KindContent message={message} />}
        {message.body && <span className={deleted ? "msg-text msg-struck" : "msg-text"}>{message.body}</span>}
        <span className="msg-meta">
          {message.editedAt && (
            <span className="msg-edited" title={previous ? `Antes: ${previous.body ?? ""}` : undefined}>
              editada
            </span>
          )}
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
        {message.reaction && (
          <span className="msg-reaction" title="Reação do cliente">
            {message.reaction.emoji}
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

/**
 * An internal note: in the timeline for the team, in its own colour, never sent to the customer. A transfer's
 * note (`content.transfer`) says who handed the conversation to whom.
 */
function NoteBubble({ message }: { message: Message }) {
  const transfer = (
    message.content as { transfer?: { toOperatorName: string | null; toDepartmentName: string | null } }
  )?.transfer;
  const to = transfer ? [transfer.toOperatorName, transfer.toDepartmentName].filter(Boolean).join(" · ") || "fila" : "";
  return (
    <div
      className={transfer ? "msg msg-note msg-note-transfer" : "msg msg-note"}
      role="note"
      aria-label={transfer ? "Nota de transferência" : "Nota interna"}
    >
      <div className="msg-bubble">
        <span className="msg-note-label">
          {transfer
            ? `↪ Transferida${message.authorName ? ` por ${message.authorName}` : ""} para ${to}`
            : `🔒 Nota interna${message.authorName ? ` · ${message.authorName}` : ""}`}
        </span>
        <span className="msg-text">{message.body}</span>
        <span className="msg-meta">
          <time dateTime={String(message.createdAt)}>{formatWhen(message.createdAt)}</time>
        </span>
      </div>
    </div>
  );
}

type Media = NonNullable<Message["media"]>;

/** Images inline (served by `/media/:id` with the session cookie); anything else as a download link. */
function MediaContent({
  messageId,
  type,
  media,
  label,
}: {
  messageId: string;
  type: string;
  media: Media;
  label: string;
}) {
  const href = `/media/${messageId}`;
  if (type === "image" || type === "sticker") {
    return (
      <a href={href} target="_blank" rel="noreferrer" className="msg-image-link">
        <img src={href} alt={media.caption || media.fileName || label} className="msg-image" loading="lazy" />
      </a>
    );
  }
  const name = media.fileName || label;
  return (
    <a href={href} download={name} className="msg-file">
      <FileIcon /> Baixar {name}
      {media.size ? <span className="muted small"> ({formatBytes(media.size)})</span> : null}
    </a>
  );
}
