import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { useToast } from "../../ui/toast";

/** The reactions an operator may put on a customer's message. */
export const REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"] as const;

/**
 * "Reagir" on a customer's message: six emojis, and "Remover reação" once one is there.
 * The reaction goes out like a message (messages.react); the chat shows it as a mark
 * on the message once it is queued.
 */
export function ReactionPicker({ messageId, current }: { messageId: string; current: string | null }) {
  const api = useApi();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const react = useMutation({
    mutationFn: (emoji: string) => api.messages.react.mutate({ messageId, emoji }),
    onSuccess: () => setOpen(false),
    onError: (err) => toast(`Reação não enviada: ${errorMessage(err)}`),
  });
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);
  return (
    <div className="msg-react" ref={ref}>
      <button
        type="button"
        className="btn btn-ghost btn-small msg-reply"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
        }}
      >
        <svg
          aria-hidden="true"
          width="16"
          height="16"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <circle cx="12" cy="12" r="9" />
          <path d="M8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01" />
        </svg>
        <span className="sr-only">Reagir a esta mensagem</span>
      </button>
      {open && (
        <fieldset id={listId} className="msg-react-list" aria-label="Reações">
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="btn btn-ghost btn-small"
              aria-label={`Reagir com ${emoji}`}
              aria-pressed={current === emoji}
              disabled={react.isPending}
              onClick={() => react.mutate(emoji)}
            >
              {emoji}
            </button>
          ))}
          {current && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={react.isPending}
              onClick={() => react.mutate("")}
            >
              Remover reação
            </button>
          )}
        </fieldset>
      )}
    </div>
  );
}
