import { useState } from "react";
import type { Message } from "../../lib/types";
import { FileIcon } from "./file-preview";
import { MediaViewer } from "./media-viewer";
import { formatBytes } from "./send-message";

type Media = NonNullable<Message["media"]>;

/**
 * A message's stored file (served by `/media/:id` with the session cookie): images open in
 * the viewer, stickers show as pictures, audio and video play inline, documents show their
 * name and size with a download.
 */
export function BubbleMedia({ messageId, type, media }: { messageId: string; type: string; media: Media }) {
  const [open, setOpen] = useState(false);
  const href = `/media/${messageId}`;
  const isAudio = type === "audio" || media.mimeType?.startsWith("audio/");
  if (type === "sticker") return <img src={href} alt="Figurinha" className="msg-sticker" loading="lazy" />;
  if (type === "image") {
    const alt = media.caption || media.fileName || "Imagem";
    return (
      <>
        <button type="button" className="msg-image-button" onClick={() => setOpen(true)} aria-label="Ampliar imagem">
          <img src={href} alt={alt} className="msg-image" loading="lazy" />
        </button>
        {open && <MediaViewer src={href} alt={alt} onClose={() => setOpen(false)} />}
      </>
    );
  }
  if (isAudio) {
    return (
      <span className="msg-player">
        {media.voice && <span className="muted small">🎤 Mensagem de voz</span>}
        {/* biome-ignore lint/a11y/useMediaCaption: a customer's voice note has no captions to offer */}
        <audio controls preload="metadata" src={href} className="msg-audio" aria-label="Áudio" />
      </span>
    );
  }
  if (type === "video") {
    return (
      // biome-ignore lint/a11y/useMediaCaption: WhatsApp videos come without caption tracks
      <video controls preload="metadata" src={href} className="msg-video" aria-label="Vídeo" playsInline />
    );
  }
  const name = media.fileName || "Documento";
  const size = media.size ? formatBytes(media.size) : null;
  return (
    <a
      href={href}
      download={name}
      className="msg-file msg-document"
      aria-label={`Baixar ${name}${size ? ` (${size})` : ""}`}
    >
      <FileIcon />
      <span className="msg-document-name">{name}</span>
      {size && <span className="muted small">{size}</span>}
      <span className="small">Baixar</span>
    </a>
  );
}
