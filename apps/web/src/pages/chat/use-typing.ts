import { useMutation } from "@tanstack/react-query";
import { useRef } from "react";
import { useApi } from "../../auth/session";

/** The server shows "typing…" at most once per conversation every 5 s; asking more often is wasted. */
export const TYPING_EVERY_MS = 5000;

/**
 * While the operator types, the customer sees "digitando…" (conversations.typing). Returns
 * what to call on each keystroke; it asks the server at most once every 5 seconds. A refused
 * call (the conversation just closed) shows nothing: the next keystroke after 5 s tries again.
 */
export function useTyping(conversationId: string): (text: string) => void {
  const api = useApi();
  const last = useRef(0);
  const typing = useMutation({ mutationFn: () => api.conversations.typing.mutate({ id: conversationId }) });
  return (text: string) => {
    if (text.trim() === "") return;
    const now = Date.now();
    if (now - last.current < TYPING_EVERY_MS) return;
    last.current = now;
    typing.mutate();
  };
}
