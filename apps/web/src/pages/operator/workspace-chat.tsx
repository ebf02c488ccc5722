import { useEffect, useRef, useState } from "react";
import type { Conversation } from "../../lib/types";
import { ChatView } from "../chat/chat-view";
import { CustomerPanel } from "../chat/customer-panel";

const PANEL_KEY = "elsehu.customerPanel";
/** Wide enough to dock the panel beside a chat still ≥ 520 px wide; the CSS uses the same width. */
const DOCKED = "(min-width: 1440px)";
const PHONE = "(max-width: 900px)";

/**
 * Docked on a wide desk, open unless the user closed it there. Narrower it is a drawer over the
 * conversation list (a sheet over the chat on a phone), opened from "Cliente" when wanted.
 */
function panelOpenAtFirst(): boolean {
  if (!window.matchMedia(DOCKED).matches) return false;
  return localStorage.getItem(PANEL_KEY) !== "closed";
}

/**
 * The served conversation with its actions (customer panel, transfer, close)
 * and the customer panel: docked beside it on a wide desk, a drawer over the
 * conversation list on a laptop (the chat keeps its width), a sheet on a phone
 * (CSS); a past conversation chosen in the panel
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
  // Where the panel shows when opened: docked (focus stays put), a drawer, or a sheet over the chat.
  const [focus, setFocus] = useState<"none" | "move" | "trap">("none");
  const toggle = (open: boolean) => {
    if (open) setFocus(window.matchMedia(DOCKED).matches ? "none" : window.matchMedia(PHONE).matches ? "trap" : "move");
    setPanel(open);
    if (window.matchMedia(DOCKED).matches) localStorage.setItem(PANEL_KEY, open ? "open" : "closed");
  };
  // On a phone the chat sits below the conversation list: bring it up whole, its message box under the thumb.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (window.matchMedia(PHONE).matches) ref.current?.scrollIntoView({ block: "end" });
  }, []);
  return (
    <div ref={ref} className={panel ? "workspace-chat with-panel" : "workspace-chat"}>
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
          focus={focus}
        />
      )}
    </div>
  );
}
