import { useState } from "react";
import { createPortal } from "react-dom";
import { Popover } from "../../ui/popover";
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
    <>
      <Popover
        open={open}
        onOpenChange={setOpen}
        className="share-menu"
        buttonClassName="btn"
        title="Enviar localização ou contato"
        label="Mais opções de envio"
        iconSize={18}
        icon={<path d="M12 5v14M5 12h14" />}
      >
        {(id) => (
          <ul id={id} className="share-menu-list" aria-label="Enviar">
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
      </Popover>
      {/* Outside the composer's <form> in the page; in React's tree, its submit stops here. */}
      {dialog &&
        createPortal(
          <div onSubmit={(e) => e.stopPropagation()}>
            {dialog === "location" ? <LocationDialog {...props} /> : <ContactCardDialog {...props} />}
          </div>,
          document.body,
        )}
    </>
  );
}
