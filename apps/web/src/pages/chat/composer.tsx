import { useMutation } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useId, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage, needsTemplate } from "../../lib/errors";
import type { Message } from "../../lib/types";
import { ErrorBox } from "../../ui/feedback";
import { AttachButton } from "./attach-button";
import { FilePreview } from "./file-preview";
import { type QuickAttachment, QuickAttachmentChip } from "./quick-attachment";
import { fillVariables, type QuickReplyValues } from "./quick-replies";
import { useQuickReplyMenu } from "./quick-reply-menu";
import { ReplyBanner } from "./reply-banner";
import { sendMedia, sendText } from "./send-message";
import { ShareMenu } from "./share-menu";
import { type PickerReason, TemplatePicker } from "./template-picker";
import { useTyping } from "./use-typing";
import { VoiceComposer } from "./voice-recorder";

/**
 * Text box of the chat: Enter sends, Shift+Enter breaks the line; an optional
 * quoted reply; a file (picked or dropped on the chat) is previewed with a
 * caption before it goes. With the 24 h window closed, or when WhatsApp refuses
 * free text for it, the template picker takes the text box's place; the
 * operator may also open it himself ("Modelo"). The microphone records a voice note;
 * "+" shares a location or a contact card. While he types, the customer sees "digitando…".
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
  values,
}: {
  conversationId: string;
  instanceId: string;
  replyTo: Message | null;
  onClearReply: () => void;
  onSent: () => void;
  windowOpen: boolean;
  file: File | null;
  onFile: (file: File | null) => void;
  /** What a quick reply's `{{nome}}`, `{{operador}}` and `{{protocolo}}` become here. */
  values: QuickReplyValues;
}) {
  const api = useApi();
  const [text, setText] = useState("");
  // null: follow the window; otherwise what the operator (or a refusal) chose.
  const [mode, setMode] = useState<{ kind: "text" } | { kind: "template"; reason: PickerReason } | null>(null);
  // A picked quick reply's file goes with the text (quickReplies.send); a file of his own replaces it.
  const [quickFile, setQuickFile] = useState<QuickAttachment | null>(null);
  const id = useId();
  const typing = useTyping(conversationId);
  const send = useMutation({
    mutationFn: async () => {
      const replyToId = replyTo?.id ?? null;
      if (file) return sendMedia(api, conversationId, file, text.trim(), replyToId);
      if (quickFile) {
        const body = text.trim();
        const sent = { conversationId, quickReplyId: quickFile.quickReplyId, body, replyToId: replyToId ?? undefined };
        return void (await api.quickReplies.send.mutate(sent));
      }
      return sendText(api, conversationId, text.trim(), replyToId);
    },
    onSuccess: () => {
      setText("");
      setQuickFile(null);
      onFile(null);
      onClearReply();
      onSent();
    },
    onError: (err) => {
      // The text stays in the box; the operator picks a template instead.
      if (needsTemplate(err)) setMode({ kind: "template", reason: "refused" });
    },
  });
  const canSend = (file !== null || quickFile !== null || text.trim() !== "") && !send.isPending;
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (canSend) send.mutate();
  };
  // Typing "/" opens the quick replies; picking one puts its text, variables filled, in the box.
  const quick = useQuickReplyMenu(text, (r) => {
    setText(fillVariables(r.body, values));
    setQuickFile(r.attachment && { quickReplyId: r.id, ...r.attachment });
    if (r.attachment) onFile(null);
  });
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (quick.onKey(e)) return;
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
  // A voice note, a location or a contact card went out: the quoted reply went with it.
  const sentOther = () => {
    onClearReply();
    onSent();
  };
  return (
    <VoiceComposer conversationId={conversationId} replyToId={replyTo?.id ?? null} onSent={sentOther}>
      {(mic) => (
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
          {quickFile && !file && <QuickAttachmentChip file={quickFile} onRemove={() => setQuickFile(null)} />}
          {quick.menu}
          <div className="composer-row">
            <AttachButton
              onPick={(picked) => {
                onFile(picked);
                send.reset();
              }}
            />
            {mic}
            <ShareMenu conversationId={conversationId} replyToId={replyTo?.id ?? null} onSent={sentOther} />
            <label htmlFor={id} className="sr-only">
              {file ? "Legenda" : "Mensagem"}
            </label>
            <textarea
              id={id}
              rows={2}
              placeholder={file ? "Legenda (opcional)" : "Escreva uma mensagem… (/ abre as respostas rápidas)"}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                typing(e.target.value);
              }}
              onKeyDown={onKey}
              maxLength={file ? 1024 : 4096}
              aria-controls={quick.open ? "quick-replies" : undefined}
              aria-activedescendant={quick.activeId ? `quick-${quick.activeId}` : undefined}
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
      )}
    </VoiceComposer>
  );
}
