import type { ApiClient } from "../../lib/api";

/**
 * THE place the console sends messages. The new message then shows up through
 * `events.onMessage` (message.created), which the chat merges into the history,
 * ticks included.
 */
export const SENDING_AVAILABLE = true;

export async function sendText(
  api: ApiClient,
  conversationId: string,
  text: string,
  replyTo: string | null,
): Promise<void> {
  await api.messages.send.mutate({ conversationId, body: text, replyToId: replyTo ?? undefined });
}

/** A file (image, audio, video, document) with an optional caption; multipart over a non-batched link. */
export async function sendMedia(
  api: ApiClient,
  conversationId: string,
  file: File,
  caption: string,
  replyTo: string | null,
): Promise<void> {
  const form = new FormData();
  form.set("conversationId", conversationId);
  form.set("file", file);
  if (caption) form.set("caption", caption);
  if (replyTo) form.set("replyToId", replyTo);
  await api.messages.sendMedia.mutate(form);
}

/**
 * A recorded voice note: sent with `voice`, so the customer gets a recorded-audio
 * message; the server rewraps WebM as Ogg and refuses what WhatsApp would.
 */
export async function sendVoice(
  api: ApiClient,
  conversationId: string,
  recording: Blob,
  mimeType: string,
  replyTo: string | null,
): Promise<void> {
  const extension = mimeType.startsWith("audio/ogg") ? "ogg" : "webm";
  const form = new FormData();
  form.set("conversationId", conversationId);
  form.set("file", new File([recording], `mensagem-de-voz.${extension}`, { type: mimeType }));
  form.set("voice", "true");
  if (replyTo) form.set("replyToId", replyTo);
  await api.messages.sendMedia.mutate(form);
}

/** What WhatsApp accepts, for the file picker; the server has the final word on type and size. */
export const ACCEPTED_FILES =
  "image/*,audio/*,video/mp4,video/3gpp,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.csv";

export class SendUnavailableError extends Error {
  constructor() {
    super("O envio de mensagens ainda não está disponível nesta versão do sistema.");
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1).replace(".", ",")} MB`;
}
