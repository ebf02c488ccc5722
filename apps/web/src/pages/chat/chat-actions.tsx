import { type ReactNode, useEffect, useId, useRef, useState } from "react";

/**
 * The chat's actions (Cliente, Transferir, Encerrar…): a row where the chat is
 * wide; where it is narrow (a phone) a "Mais ações" menu, so the contact's name
 * keeps the header's one line. The same buttons serve both: CSS (a container
 * query on the chat) decides; choosing one, Esc or a tap elsewhere closes the menu.
 */
export function ChatActions({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    // A click on an action closes it too: the action has run by then (bubbling reached the document).
    const onClick = (e: MouseEvent) => {
      const inside = ref.current?.contains(e.target as Node);
      if (!inside || (e.target as Element).closest(".chat-actions")) setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick);
    };
  }, [open]);
  return (
    <div className="chat-actions-wrap" ref={ref} data-focus-return>
      <button
        type="button"
        data-focus-return-target
        className="btn chat-actions-toggle"
        aria-label="Mais ações"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      <div id={id} className={open ? "chat-actions chat-actions-open" : "chat-actions"}>
        {children}
      </div>
    </div>
  );
}
