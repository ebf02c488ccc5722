import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage, needsTemplate } from "../../lib/errors";
import type { Message } from "../../lib/types";
import { ErrorBox } from "../../ui/feedback";
import { FilePreview } from "./file-preview";
import { ACCEPTED_FILES, sendMedia, sendText } from "./send-message";
import { type PickerReason, TemplatePicker } from "./template-picker";

/**
 * Text box of the chat: Enter sends, Shift+Enter breaks the line; an optional
 * quoted reply; a file (picked or dropped on the chat) is previewed with a
 * caption before it goes. With the 24 h window closed, or when WhatsApp refuses
 * free text for it, the template picker takes the text box's place; the
 * operator may also open it himself ("Modelo").
 */
export function Composer({
  conversationId,
  instanceId,
  replyTo,
  onClearReply,
  onSent,
  windowOpen,
  file,
  onFile,
}: {
  conversationId: string;
  instanceId: string;
  replyTo: Message | null;
  onClearReply: () => void;
  onSent: () => void;
  windowOpen: boolean;
  file: File | null;
  onFile: (file: File | null) => void;
}) {
  const api = useApi();
  const [text, setText] = useState("");
  // null: follow the window; otherwise what the operator (or a refusal) chose.
  const [mode, setMode] = useState<{ kind: "text" } | { kind: "template"; reason: PickerReason } | null>(null);
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const send = useMutation({
    mutationFn: () =>
      file
        ? sendMedia(api, conversationId, file, text.trim(), replyTo?.id ?? null)
        : sendText(api, conversationId, text.trim(), replyTo?.id ?? null),
    onSuccess: () => {
      setText("");
      onFile(null);
      onClearReply();
      onSent();
    },
    onError: (err) => {
      // The text stays in the box; the operator picks a template instead.
      if (needsTemplate(err)) setMode({ kind: "template", reason: "refused" });
    },
  });
  const canSend = (file !== null || text.trim() !== "") && !send.isPending;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (canSend) send.mutate();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };
  const picker = mode ? (mode.kind === "template" ? mode.reason : null) : windowOpen ? null : "window";
  if (picker) {
    return (
      <div className="composer">
        {replyTo && <ReplyBanner replyTo={replyTo} onClear={onClearReply} />}
        <TemplatePicker
          conversationId={conversationId}
          instanceId={instanceId}
          reason={picker}
          replyToId={replyTo?.id ?? null}
          onSent={() => {
            setMode(null);
            send.reset();
            onClearReply();
            onSent();
          }}
        />
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => {
            setMode({ kind: "text" });
            send.reset();
          }}
        >
          {picker === "chosen" ? "Voltar ao texto" : "Escrever texto mesmo assim (números Evolution não têm janela)"}
        </button>
      </div>
    );
  }
  return (
    <form className="composer" onSubmit={submit}>
      {send.error && <ErrorBox message={errorMessage(send.error)} />}
      {replyTo && <ReplyBanner replyTo={replyTo} onClear={onClearReply} />}
      {file && (
        <FilePreview
          file={file}
          onRemove={() => {
            onFile(null);
            send.reset();
          }}
        />
      )}
      <div className="composer-row">
        <input
          ref={fileInput}
          type="file"
          className="sr-only"
          tabIndex={-1}
          aria-label="Arquivo para enviar"
          accept={ACCEPTED_FILES}
          onChange={(e) => {
            const picked = e.target.files?.[0] ?? null;
            if (picked) {
              onFile(picked);
              send.reset();
            }
            e.target.value = "";
          }}
        />
        <button
          type="button"
          className="btn"
          onClick={() => fileInput.current?.click()}
          title="Anexar arquivo (ou arraste para a conversa)"
        >
          <svg
            aria-hidden="true"
            width="18"
            height="18"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
          >
            <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5" />
          </svg>
          <span className="sr-only">Anexar arquivo</span>
        </button>
        <label htmlFor={id} className="sr-only">
          {file ? "Legenda" : "Mensagem"}
        </label>
        <textarea
          id={id}
          rows={2}
          placeholder={file ? "Legenda (opcional)" : "Escreva uma mensagem… (Enter envia, Shift+Enter quebra a linha)"}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          maxLength={file ? 1024 : 4096}
        />
        <button
          type="button"
          className="btn"
          onClick={() => setMode({ kind: "template", reason: "chosen" })}
          title="Enviar um modelo aprovado"
        >
          Modelo
        </button>
        <button type="submit" className="btn btn-primary" disabled={!canSend}>
          {send.isPending ? "Enviando…" : "Enviar"}
        </button>
      </div>
    </form>
  );
}

/** The message being answered, with a way to answer nothing instead. */
function ReplyBanner({ replyTo, onClear }: { replyTo: Message; onClear: () => void }) {
  return (
    <div className="composer-reply">
      <span>
        Respondendo a: <q>{(replyTo.body ?? "").slice(0, 80) || "mensagem"}</q>
      </span>
      <button type="button" className="btn btn-ghost btn-small" onClick={onClear}>
        Cancelar resposta
      </button>
    </div>
  );
}
