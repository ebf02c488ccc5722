import { useEffect, useState } from "react";
import { formatBytes } from "./send-message";

/** The file about to be sent: a thumbnail for images, otherwise its name and size. */
export function FilePreview({ file, onRemove }: { file: File; onRemove: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file.type.startsWith("image/")) return;
    const u = URL.createObjectURL(file);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [file]);
  return (
    <section className="file-preview" aria-label="Arquivo a enviar">
      {url ? (
        <img src={url} alt={`Prévia de ${file.name}`} className="file-thumb" />
      ) : (
        <span className="file-icon" aria-hidden="true">
          <FileIcon />
        </span>
      )}
      <span className="file-info">
        <strong>{file.name}</strong>
        <span className="muted small">{formatBytes(file.size)}</span>
      </span>
      <button type="button" className="btn btn-ghost btn-small" onClick={onRemove}>
        Remover arquivo
      </button>
    </section>
  );
}

export function FileIcon() {
  return (
    <svg
      aria-hidden="true"
      width="28"
      height="28"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d="M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8z" />
      <path d="M14 3v5h5" />
    </svg>
  );
}
