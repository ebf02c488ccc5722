import { memo, useState } from "react";
import { formatWhen } from "../../lib/format";
import type { Message, MessageStatus } from "../../lib/types";
import { BubbleMedia } from "./bubble-media";
import { EditedMark, EditHistory } from "./edit-history";
import { KindContent, kindOwnsBody, noticeOf } from "./kinds/message-kinds";
import { MediaState } from "./media-state";
import { snippetOf } from "./own-reactions";
import { ReactionPicker } from "./reaction-picker";

const TICK: Record<MessageStatus, { icon: string; label: string; className: string }> = {
  QUEUED: { icon: "⏱", label: "Na fila de envio", className: "tick" },
  SENT: { icon: "✓", label: "Enviada", className: "tick" },
  DELIVERED: { icon: "✓✓", label: "Entregue", className: "tick" },
  READ: { icon: "✓✓", label: "Lida", className: "tick tick-read" },
  FAILED: { icon: "!", label: "Falhou", className: "tick tick-failed" },
};

/** Kinds whose media is not on screen yet: the "[label]" says what is coming. */
const TYPE_LABEL: Record<string, string> = {
  image: "Imagem",
  audio: "Áudio",
  video: "Vídeo",
  document: "Documento",
  sticker: "Figurinha",
};

/**
 * One message: the message it answers (quoted), its content by kind, time and, for outbound
 * ones, its delivery tick; reactions (the customer's and ours) as marks on it. Whoever may
 * write answers it ("Responder") and reacts to the customer's messages.
 */
export const MessageBubble = memo(function MessageBubble({
  message,
  onReply,
  quoted,
  ownReaction,
}: {
  message: Message;
  onReply?: (m: Message) => void;
  /** The message this one answers, when it is loaded. */
  quoted?: Message;
  /** Our reaction on this message. */
  ownReaction?: string;
}) {
  const [history, setHistory] = useState(false);
  if (message.type === "note") return <NoteBubble message={message} />;
  const notice = noticeOf(message);
  if (notice) {
    return (
      <p className="msg-notice" role="note">
        {notice} · <time dateTime={String(message.createdAt)}>{formatWhen(message.createdAt)}</time>
      </p>
    );
  }
  const out = message.direction === "OUT";
  const tick = out ? TICK[message.status] : null;
  const deleted = message.deletedAt !== null;
  const media = message.media;
  const file = media && (media.storageKey || media.url) ? media : null;
  const label = TYPE_LABEL[message.type];
  const showBody = message.body && !kindOwnsBody(message);
  return (
    <div className={out ? "msg msg-out" : "msg msg-in"} data-kind={message.type}>
      <div className={deleted ? "msg-bubble msg-deleted" : "msg-bubble"}>
        {message.replyToId && message.type !== "reaction" && (
          <blockquote className="msg-quote">
            <span className="sr-only">Em resposta a: </span>
            {quoted ? snippetOf(quoted) : "Mensagem anterior"}
          </blockquote>
        )}
        {deleted && <span className="msg-deleted-label">🚫 Mensagem apagada pelo cliente</span>}
        {file && <BubbleMedia messageId={message.id} type={message.type} media={file} />}
        {!file && label && !deleted && <span className="msg-media">[{label}]</span>}
        {media && !file && <MediaState message={message} />}
        {!deleted && <KindContent message={message} />}
        {showBody && <span className={deleted ? "msg-text msg-struck" : "msg-text"}>{message.body}</span>}
        {history && <EditHistory message={message} />}
        <span className="msg-meta">
          <EditedMark message={message} open={history} onToggle={() => setHistory((v) => !v)} />
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
            <span className="sr-only">Reação do cliente: </span>
            {message.reaction.emoji}
          </span>
        )}
        {ownReaction && (
          <span className="msg-reaction msg-reaction-own" title="Sua reação">
            <span className="sr-only">Sua reação: </span>
            {ownReaction}
          </span>
        )}
      </div>
      {onReply && (
        <button type="button" className="btn btn-ghost btn-small msg-reply" onClick={() => onReply(message)}>
          Responder<span className="sr-only"> a esta mensagem</span>
        </button>
      )}
      {onReply && !out && !deleted && <ReactionPicker messageId={message.id} current={ownReaction ?? null} />}
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
