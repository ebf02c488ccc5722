import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { ErrorBox, Loading } from "../../ui/feedback";
import { ChatView } from "./chat-view";

/**
 * Another conversation beside the one being served, read-only: a past one of
 * the customer, or a search hit the viewer may read but does not hold. Opens at
 * `messageId` when given. A panel on the right on a desk, the whole screen on a
 * phone; × or Esc closes it.
 */
export function SideConversation({
  conversationId,
  messageId,
  onClose,
}: {
  conversationId: string;
  messageId?: string;
  onClose: () => void;
}) {
  const api = useApi();
  const conversation = useQuery({
    queryKey: ["conversations.get", conversationId],
    queryFn: () => api.conversations.get.query({ id: conversationId }),
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !document.querySelector("dialog[open]")) onClose();
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [onClose]);
  return (
    <section className="side-view" aria-label="Conversa somente leitura">
      <header className="side-view-header">
        <p className="small">
          <strong>Somente leitura</strong>
          {conversation.data ? ` · protocolo ${conversation.data.protocol}` : ""}
        </p>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Fechar conversa somente leitura">
          ×
        </button>
      </header>
      {conversation.isPending && <Loading />}
      {conversation.error && <ErrorBox message={errorMessage(conversation.error)} />}
      {conversation.data && (
        <ChatView
          conversation={conversation.data}
          readOnly
          canNote={false}
          titleId="side-chat-title"
          focusMessageId={messageId}
        />
      )}
    </section>
  );
}
