import { formatBytes } from "./send-message";

/** The file of a quick reply picked in the composer, to go out with its text. */
export type QuickAttachment = { quickReplyId: string; fileName: string; size: number };

/** Shown above the text box while a quick reply's file waits to be sent; "Remover" keeps only the text. */
export function QuickAttachmentChip({ file, onRemove }: { file: QuickAttachment; onRemove: () => void }) {
  return (
    <div className="composer-reply" role="status" aria-label="Anexo da resposta rápida">
      <span>
        📎 {file.fileName} <span className="muted small">({formatBytes(file.size)}) · da resposta rápida</span>
      </span>
      <button type="button" className="btn btn-ghost btn-small" onClick={onRemove}>
        Remover anexo
      </button>
    </div>
  );
}
