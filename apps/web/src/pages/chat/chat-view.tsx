import { useQueryClient } from "@tanstack/react-query";
import { type DragEvent, type ReactNode, useState } from "react";
import { useApi } from "../../auth/session";
import { CONVERSATION_STATUS, formatPhone } from "../../lib/format";
import type { Message } from "../../lib/types";
import { useNow } from "../../lib/use-now";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { refreshNewest } from "./messages-cache";
import { WindowBadge, windowState } from "./window-badge";

export type ChatConversation = {
  id: string;
  status: keyof typeof CONVERSATION_STATUS;
  instanceId: string;
  contact: { name: string | null; phone: string | null };
  operatorName?: string | null;
  lastInboundAt: string | Date | null;
  /** The click-to-WhatsApp ad the customer came from. */
  referral?: { headline?: string; sourceUrl?: string; sourceId?: string; body?: string } | null;
};

export const contactLabel = (c: { contact: { name: string | null; phone: string | null } }) =>
  c.contact.name || formatPhone(c.contact.phone) || "Contato sem nome";

/**
 * A conversation: header (contact, status, 24 h window, actions), its history
 * and, for the operator who holds it, the composer. Staff get it read-only.
 */
export function ChatView({
  conversation,
  readOnly = false,
  actions,
}: {
  conversation: ChatConversation;
  readOnly?: boolean;
  actions?: ReactNode;
}) {
  const api = useApi();
  const qc = useQueryClient();
  const now = useNow(30_000);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  // Tied to the conversation, so an attachment never follows the operator to another chat.
  const [attached, setAttached] = useState<{ conversationId: string; file: File } | null>(null);
  const [dragging, setDragging] = useState(false);
  const c = conversation;
  const file = attached?.conversationId === c.id ? attached.file : null;
  const setFile = (f: File | null) => setAttached(f ? { conversationId: c.id, file: f } : null);
  const canWrite = !readOnly && c.status === "OPEN";
  // Dropping a file anywhere on the chat attaches it (preview + caption before sending).
  const drop = canWrite
    ? {
        onDragOver: (e: DragEvent) => {
          if (!e.dataTransfer.types.includes("Files")) return;
          e.preventDefault();
          setDragging(true);
        },
        onDragLeave: (e: DragEvent) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        },
        onDrop: (e: DragEvent) => {
          e.preventDefault();
          setDragging(false);
          const dropped = e.dataTransfer.files[0];
          if (dropped) setFile(dropped);
        },
      }
    : {};
  return (
    <section className={dragging ? "chat chat-dragging" : "chat"} aria-labelledby="chat-title" {...drop}>
      <header className="chat-header">
        <div>
          <h2 id="chat-title">{contactLabel(c)}</h2>
          <p className="muted small">
            {formatPhone(c.contact.phone)} · {CONVERSATION_STATUS[c.status]}
            {c.operatorName ? ` · ${c.operatorName}` : ""}
          </p>
          <WindowBadge lastInboundAt={c.lastInboundAt} now={now} />
          {c.referral && <ReferralLine referral={c.referral} />}
        </div>
        {actions && <div className="chat-actions">{actions}</div>}
      </header>
      {dragging && (
        <div className="chat-drop" aria-hidden="true">
          Solte o arquivo para anexar
        </div>
      )}
      <MessageList key={`list-${c.id}`} conversationId={c.id} onReply={canWrite ? setReplyTo : undefined} />
      {canWrite ? (
        <Composer
          key={`composer-${c.id}`}
          conversationId={c.id}
          instanceId={c.instanceId}
          replyTo={replyTo}
          onClearReply={() => setReplyTo(null)}
          onSent={() => void refreshNewest(qc, api, c.id)}
          windowOpen={windowState(c.lastInboundAt, now).open}
          file={file}
          onFile={setFile}
        />
      ) : (
        <p className="chat-readonly muted small">
          {readOnly ? "Visualização somente leitura." : "Esta conversa não está aberta: não é possível responder."}
        </p>
      )}
    </section>
  );
}

/** "Veio do anúncio …": the click-to-WhatsApp ad that started the conversation. */
function ReferralLine({ referral }: { referral: NonNullable<ChatConversation["referral"]> }) {
  const title = referral.headline || referral.body || referral.sourceId || "anúncio";
  return (
    <p className="chat-referral muted">
      📣 Veio do anúncio{" "}
      {referral.sourceUrl?.startsWith("https://") ? (
        <a href={referral.sourceUrl} target="_blank" rel="noreferrer">
          {title}
        </a>
      ) : (
        <strong>{title}</strong>
      )}
    </p>
  );
}
