import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useApi, useMe } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { CONVERSATION_STATUS, formatDateTime } from "../../lib/format";
import { ErrorBox, Loading } from "../../ui/feedback";
import { usePanelFocus } from "../../ui/focus-trap";
import { ContactDetails } from "./contact-details";

/**
 * Beside the chat: who the customer is (details and tags, edited by staff,
 * read by operators), the internal notes of his conversations and his past
 * conversations the viewer may read (the customer-history rule, enforced by the
 * server), each opened read-only in a side view. Where it sits (a column, a
 * drawer, a sheet on a phone) is CSS; closed with × or Esc. Opened as a drawer
 * it takes the focus and gives it back when closed; as a sheet over the chat
 * (`focus: "trap"`) Tab also stays inside it.
 */
export function CustomerPanel({
  contactId,
  currentConversationId,
  onClose,
  onOpenConversation,
  focus,
}: {
  contactId: string;
  currentConversationId: string;
  onClose: () => void;
  onOpenConversation: (id: string) => void;
  focus: "none" | "move" | "trap";
}) {
  const ref = useRef<HTMLElement>(null);
  usePanelFocus(ref, focus);
  const api = useApi();
  const me = useMe();
  const contact = useQuery({
    queryKey: ["contacts.get", contactId],
    queryFn: () => api.contacts.get.query({ id: contactId }),
  });
  const notes = useQuery({
    queryKey: ["contacts.notes", contactId],
    queryFn: () => api.contacts.notes.query({ id: contactId }),
  });
  const past = useQuery({
    queryKey: ["conversations.list", "contact", contactId],
    queryFn: () => api.conversations.list.query({ contactId, limit: 20 }),
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !document.querySelector("dialog[open]")) onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const others = (past.data?.items ?? []).filter((c) => c.id !== currentConversationId);
  return (
    <aside
      id="customer-panel"
      ref={ref}
      tabIndex={-1}
      className="customer-panel"
      aria-labelledby="customer-panel-title"
    >
      <header className="customer-panel-header">
        <h2 id="customer-panel-title">Cliente</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Fechar painel do cliente">
          ×
        </button>
      </header>
      <div className="customer-panel-body">
        {contact.isPending && <Loading />}
        {contact.error && <ErrorBox message={errorMessage(contact.error)} onRetry={() => void contact.refetch()} />}
        {contact.data && <ContactDetails contact={contact.data} editable={me.role !== "OPERATOR"} />}

        <section aria-labelledby="customer-notes-title" className="customer-section">
          <h3 id="customer-notes-title">Notas</h3>
          {notes.error && <ErrorBox message={errorMessage(notes.error)} />}
          {notes.data?.length === 0 && <p className="muted small">Nenhuma nota interna sobre este cliente.</p>}
          <ul className="customer-notes">
            {notes.data?.map((n) => (
              <li key={n.id}>
                <p>{n.body}</p>
                <p className="muted small">
                  {n.authorName ?? "Equipe"} · {formatDateTime(n.createdAt)} · {n.protocol}
                </p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="customer-history-title" className="customer-section">
          <h3 id="customer-history-title">Conversas anteriores</h3>
          {past.error && <ErrorBox message={errorMessage(past.error)} />}
          {past.isSuccess && others.length === 0 && (
            <p className="muted small">Nenhuma outra conversa que você possa ver.</p>
          )}
          <ul className="customer-history">
            {others.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="btn btn-ghost customer-history-item"
                  onClick={() => onOpenConversation(c.id)}
                >
                  <span>
                    Protocolo <strong>{c.protocol}</strong>
                  </span>
                  <span className="muted small">
                    {CONVERSATION_STATUS[c.status]} · {formatDateTime(c.createdAt)}
                    {c.operatorName ? ` · ${c.operatorName}` : ""}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </aside>
  );
}
