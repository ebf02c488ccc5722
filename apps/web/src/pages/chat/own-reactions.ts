import type { Message } from "../../lib/types";

/**
 * Our reactions are rows of their own (type `reaction`, quoting their target); the chat
 * shows each as a mark on its target instead: the latest one per target wins, an empty
 * emoji removes it. A reaction that failed stays in the list, with its error.
 * `items` is oldest first.
 */
export function foldOwnReactions(items: Message[]): { shown: Message[]; own: Map<string, string> } {
  const own = new Map<string, string>();
  const shown: Message[] = [];
  for (const m of items) {
    if (m.type !== "reaction" || m.direction !== "OUT" || m.status === "FAILED") {
      shown.push(m);
      continue;
    }
    const reaction = (m.content as { reaction?: { emoji?: string; targetMessageId?: string } } | null)?.reaction;
    const target = reaction?.targetMessageId ?? m.replyToId;
    if (!target) continue;
    const emoji = reaction?.emoji ?? m.body ?? "";
    if (emoji) own.set(target, emoji);
    else own.delete(target);
  }
  return { shown, own };
}

/** A line of a message, for a quote: its text, or what kind of message it is. */
export function snippetOf(m: Message): string {
  const text = (m.body ?? "").trim();
  if (text) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return KIND_NAMES[m.type] ?? "Mensagem";
}

const KIND_NAMES: Record<string, string> = {
  image: "📷 Imagem",
  video: "🎬 Vídeo",
  audio: "🎤 Áudio",
  document: "📄 Documento",
  sticker: "Figurinha",
  location: "📍 Localização",
  contacts: "👤 Contato",
};
