import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { Popover } from "../../ui/popover";
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
  const react = useMutation({
    mutationFn: (emoji: string) => api.messages.react.mutate({ messageId, emoji }),
    onSuccess: () => setOpen(false),
    onError: (err) => toast(`Reação não enviada: ${errorMessage(err)}`),
  });
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      className="msg-react"
      buttonClassName="btn btn-ghost btn-small msg-reply"
      label="Reagir a esta mensagem"
      iconSize={16}
      icon={
        <>
          <circle cx="12" cy="12" r="9" />
          <path d="M8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01" />
        </>
      }
    >
      {(id) => (
        <fieldset id={id} className="msg-react-list" aria-label="Reações">
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
    </Popover>
  );
}
