import { useEffect, useRef } from "react";

/**
 * An image opened over the chat: as large as the screen allows, closed by Esc, the
 * close button or a tap outside the picture (phones). Mounted = open.
 */
export function MediaViewer({ src, alt, onClose }: { src: string; alt: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    return () => {
      dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Esc (the dialog's cancel) is the keyboard way out
    <dialog
      ref={ref}
      className="media-viewer"
      aria-label="Imagem ampliada"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <img src={src} alt={alt} className="media-viewer-img" />
      <div className="media-viewer-bar">
        <a href={src} download className="btn btn-small">
          Baixar
        </a>
        <button type="button" className="btn btn-small" onClick={onClose} aria-label="Fechar imagem">
          × Fechar
        </button>
      </div>
    </dialog>
  );
}
