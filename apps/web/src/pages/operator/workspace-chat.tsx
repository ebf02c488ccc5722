import { useState } from "react";
import type { Conversation } from "../../lib/types";
import { ChatView } from "../chat/chat-view";
import { CustomerPanel } from "../chat/customer-panel";

const PANEL_KEY = "elsehu.customerPanel";

/** Open on a desk unless the user closed it; closed on a phone, where it covers the chat. */
function panelOpenAtFirst(): boolean {
  const saved = localStorage.getItem(PANEL_KEY);
  if (window.matchMedia("(max-width: 900px)").matches) return false;
  return saved !== "closed";
}

/**
 * The served conversation with its actions (customer panel, transfer, close)
 * and the customer panel beside it; a past conversation chosen in the panel
 * opens in the inbox's read-only side view (`onOpenConversation`).
 */
export function WorkspaceChat({
  conversation,
  focusMessageId,
  onOpenConversation,
  onTransfer,
  onClose,
}: {
  conversation: Conversation;
  focusMessageId?: string;
  onOpenConversation: (id: string) => void;
  onTransfer: () => void;
  onClose: () => void;
}) {
  const [panel, setPanel] = useState(panelOpenAtFirst);
  const toggle = (open: boolean) => {
    setPanel(open);
    if (!window.matchMedia("(max-width: 900px)").matches) localStorage.setItem(PANEL_KEY, open ? "open" : "closed");
  };
  return (
    <div className={panel ? "workspace-chat with-panel" : "workspace-chat"}>
      <ChatView
        key={conversation.id}
        conversation={conversation}
        focusMessageId={focusMessageId}
        actions={
          <>
            <button
              type="button"
              className="btn"
              aria-expanded={panel}
              aria-controls="customer-panel"
              onClick={() => toggle(!panel)}
            >
              Cliente
            </button>
            <button type="button" className="btn" onClick={onTransfer} aria-keyshortcuts="t">
              Transferir
            </button>
            <button type="button" className="btn btn-primary" onClick={onClose} aria-keyshortcuts="e">
              Encerrar
            </button>
          </>
        }
      />
      {panel && (
        <CustomerPanel
          contactId={conversation.contact.id}
          currentConversationId={conversation.id}
          onClose={() => toggle(false)}
          onOpenConversation={onOpenConversation}
        />
      )}
    </div>
  );
}
