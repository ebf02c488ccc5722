import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Message } from "../../lib/types";
import { ErrorBox } from "../../ui/feedback";
import { SENDING_AVAILABLE, SendUnavailableError, sendText } from "./send-message";

/** Text box of the chat: Enter sends, Shift+Enter breaks the line; an optional quoted reply. */
export function Composer({
  conversationId,
  replyTo,
  onClearReply,
  onSent,
  windowOpen,
}: {
  conversationId: string;
  replyTo: Message | null;
  onClearReply: () => void;
  onSent: () => void;
  windowOpen: boolean;
}) {
  const api = useApi();
  const [text, setText] = useState("");
  const id = useId();
  const send = useMutation({
    mutationFn: () => sendText(api, conversationId, text.trim(), replyTo?.id ?? null),
    onSuccess: () => {
      setText("");
      onClearReply();
      onSent();
    },
  });
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (text.trim() && !send.isPending) send.mutate();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <form className="composer" onSubmit={submit}>
      {send.error && (
        <ErrorBox
          message={send.error instanceof SendUnavailableError ? send.error.message : errorMessage(send.error)}
        />
      )}
      {!windowOpen && (
        <p className="composer-warning" role="note">
          A janela de 24 h está fechada: em números da Meta só é possível enviar um modelo aprovado.
        </p>
      )}
      {replyTo && (
        <div className="composer-reply">
          <span>
            Respondendo a: <q>{(replyTo.body ?? "").slice(0, 80) || "mensagem"}</q>
          </span>
          <button type="button" className="btn btn-ghost btn-small" onClick={onClearReply}>
            Cancelar resposta
          </button>
        </div>
      )}
      <div className="composer-row">
        <label htmlFor={id} className="sr-only">
          Mensagem
        </label>
        <textarea
          id={id}
          rows={2}
          placeholder={
            SENDING_AVAILABLE
              ? "Escreva uma mensagem… (Enter envia, Shift+Enter quebra a linha)"
              : "O envio de mensagens chega na próxima versão."
          }
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          disabled={!SENDING_AVAILABLE}
          maxLength={4096}
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!SENDING_AVAILABLE || !text.trim() || send.isPending}
        >
          {send.isPending ? "Enviando…" : "Enviar"}
        </button>
      </div>
    </form>
  );
}
