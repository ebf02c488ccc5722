import { useRef } from "react";
import { StrokeIcon } from "../../ui/icon";
import { ACCEPTED_FILES } from "./send-message";

/** The composer's paper clip: a hidden file input opened by a button; the chosen file goes to `onPick`. */
export function AttachButton({ onPick }: { onPick: (file: File) => void }) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={fileInput}
        type="file"
        className="sr-only"
        tabIndex={-1}
        aria-label="Arquivo para enviar"
        accept={ACCEPTED_FILES}
        onChange={(e) => {
          const picked = e.target.files?.[0] ?? null;
          if (picked) onPick(picked);
          e.target.value = "";
        }}
      />
      <button
        type="button"
        className="btn"
        onClick={() => fileInput.current?.click()}
        title="Anexar arquivo (ou arraste para a conversa)"
      >
        <StrokeIcon size={18}>
          <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5" />
        </StrokeIcon>
        <span className="sr-only">Anexar arquivo</span>
      </button>
    </>
  );
}
