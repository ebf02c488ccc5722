import type { ApiClient } from "../../lib/api";

/**
 * THE one place the console sends a text message. `messages.send` is being
 * written on the message-pipeline branch; until it is merged this says so.
 *
 * To wire it when it lands (nothing else in the console needs to change):
 *   1. set SENDING_AVAILABLE = true;
 *   2. replace the body of sendText with
 *        await api.messages.send.mutate({ conversationId, text, replyToId: replyTo ?? undefined });
 *      (adjust the field names to the router's input).
 * The new message then shows up through `events.onMessage` (message.created),
 * which the chat already merges into the history, ticks included.
 */
export const SENDING_AVAILABLE = false;

export async function sendText(
  api: ApiClient,
  conversationId: string,
  text: string,
  replyTo: string | null,
): Promise<void> {
  void api;
  void conversationId;
  void text;
  void replyTo;
  throw new SendUnavailableError();
}

export class SendUnavailableError extends Error {
  constructor() {
    super("O envio de mensagens ainda não está disponível nesta versão do sistema.");
  }
}
