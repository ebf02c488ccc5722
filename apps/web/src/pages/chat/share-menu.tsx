import { useEffect, useId, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { ContactCardDialog } from "./contact-card-dialog";
import { LocationDialog } from "./location-dialog";

/**
 * The composer's "+": a small menu to share a location or a contact card, each in its
 * own dialog. A quoted reply goes with what is shared. The dialogs' submit events stop at
 * their own form: React would bubble them to the composer's, which would send its text too.
 */
export function ShareMenu({
  conversationId,
  replyToId,
  onSent,
}: {
  conversationId: string;
  replyToId: string | null;
  onSent: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<"location" | "contact" | null>(null);
  const menuId = useId();
  const ref = useRef<HTMLDivElement>(null);
  // A click elsewhere closes the menu.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);
  const pick = (which: "location" | "contact") => {
    setOpen(false);
    setDialog(which);
  };
  const props = {
    conversationId,
    replyToId,
    onClose: () => setDialog(null),
    onSent: () => {
      setDialog(null);
      onSent();
    },
  };
  return (
    <div className="share-menu" ref={ref}>
      <button
        type="button"
        className="btn"
        aria-expanded={open}
        aria-controls={menuId}
        title="Enviar localização ou contato"
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
        }}
      >
        <svg
          aria-hidden="true"
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M12 5v14M5 12h14" />
        </svg>
        <span className="sr-only">Mais opções de envio</span>
      </button>
      {open && (
        <ul id={menuId} className="share-menu-list" aria-label="Enviar">
          <li>
            <button type="button" className="btn btn-ghost" onClick={() => pick("location")}>
              📍 Localização
            </button>
          </li>
          <li>
            <button type="button" className="btn btn-ghost" onClick={() => pick("contact")}>
              👤 Contato
            </button>
          </li>
        </ul>
      )}
      {/* Outside the composer's <form> in the page; in React's tree, its submit stops here. */}
      {dialog &&
        createPortal(
          <div onSubmit={(e) => e.stopPropagation()}>
            {dialog === "location" ? <LocationDialog {...props} /> : <ContactCardDialog {...props} />}
          </div>,
          document.body,
        )}
    </div>
  );
}
