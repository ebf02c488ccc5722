import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
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
  contact: { name: string | null; phone: string | null };
  operatorName?: string | null;
  lastInboundAt: string | Date | null;
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
  const c = conversation;
  const canWrite = !readOnly && c.status === "OPEN";
  return (
    <section className="chat" aria-labelledby="chat-title">
      <header className="chat-header">
        <div>
          <h2 id="chat-title">{contactLabel(c)}</h2>
          <p className="muted small">
            {formatPhone(c.contact.phone)} · {CONVERSATION_STATUS[c.status]}
            {c.operatorName ? ` · ${c.operatorName}` : ""}
          </p>
          <WindowBadge lastInboundAt={c.lastInboundAt} now={now} />
        </div>
        {actions && <div className="chat-actions">{actions}</div>}
      </header>
      <MessageList key={c.id} conversationId={c.id} onReply={canWrite ? setReplyTo : undefined} />
      {canWrite ? (
        <Composer
          key={c.id}
          conversationId={c.id}
          replyTo={replyTo}
          onClearReply={() => setReplyTo(null)}
          onSent={() => void refreshNewest(qc, api, c.id)}
          windowOpen={windowState(c.lastInboundAt, now).open}
        />
      ) : (
        <p className="chat-readonly muted small">
          {readOnly ? "Visualização somente leitura." : "Esta conversa não está aberta: não é possível responder."}
        </p>
      )}
    </section>
  );
}
