import { useQueryClient } from "@tanstack/react-query";
import { type DragEvent, type ReactNode, useState } from "react";
import { useApi, useMe } from "../../auth/session";
import type { CONVERSATION_STATUS } from "../../lib/format";
import type { Message } from "../../lib/types";
import { useNow } from "../../lib/use-now";
import { ChatHeader } from "./chat-header";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { refreshNewest } from "./messages-cache";
import { NoteComposer } from "./note-composer";
import { windowState } from "./window-badge";

export { contactLabel } from "./chat-header";

export type ChatConversation = {
  id: string;
  protocol?: string;
  status: keyof typeof CONVERSATION_STATUS;
  instanceId: string;
  contact: { name: string | null; phone: string | null; tags?: string[] };
  tags?: string[];
  operatorName?: string | null;
  lastInboundAt: string | Date | null;
  /** The click-to-WhatsApp ad the customer came from. */
  referral?: { headline?: string; sourceUrl?: string; sourceId?: string; body?: string } | null;
};

/**
 * A conversation: header (contact, protocol, status, 24 h window, tags,
 * actions), its history and, for the operator who holds it, the composer with
 * its "Nota interna" tab. Staff get it read-only, with notes and tags (`canNote`).
 */
export function ChatView({
  conversation,
  readOnly = false,
  canNote = !readOnly,
  actions,
  titleId = "chat-title",
  focusMessageId,
}: {
  conversation: ChatConversation;
  readOnly?: boolean;
  canNote?: boolean;
  actions?: ReactNode;
  /** Unique per page: a side view shows a second chat. */
  titleId?: string;
  /** A search hit: the history opens scrolled to it. */
  focusMessageId?: string;
}) {
  const api = useApi();
  const me = useMe();
  const qc = useQueryClient();
  const now = useNow(30_000);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [noteMode, setNoteMode] = useState(false);
  // Tied to the conversation, so an attachment never follows the operator to another chat.
  const [attached, setAttached] = useState<{ conversationId: string; file: File } | null>(null);
  const [dragging, setDragging] = useState(false);
  const c = conversation;
  const file = attached?.conversationId === c.id ? attached.file : null;
  const setFile = (f: File | null) => setAttached(f ? { conversationId: c.id, file: f } : null);
  const canWrite = !readOnly && c.status === "OPEN";
  const notes = canNote && (noteMode || !canWrite);
  const refresh = () => void refreshNewest(qc, api, c.id);
  // Dropping a file anywhere on the chat attaches it (preview + caption before sending).
  const drop = canWrite
    ? {
        onDragOver: (e: DragEvent) => {
          if (!e.dataTransfer.types.includes("Files")) return;
          e.preventDefault();
          setDragging(true);
        },
        onDragLeave: (e: DragEvent) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        },
        onDrop: (e: DragEvent) => {
          e.preventDefault();
          setDragging(false);
          const dropped = e.dataTransfer.files[0];
          if (dropped) setFile(dropped);
        },
      }
    : {};
  return (
    <section className={dragging ? "chat chat-dragging" : "chat"} aria-labelledby={titleId} {...drop}>
      <ChatHeader
        conversation={c}
        titleId={titleId}
        now={now}
        tagsEditable={canNote}
        onTagsChanged={() => {
          void qc.invalidateQueries({ queryKey: ["conversations.mine"] });
          void qc.invalidateQueries({ queryKey: ["conversations.get", c.id] });
        }}
        actions={actions}
      />
      {dragging && (
        <div className="chat-drop" aria-hidden="true">
          Solte o arquivo para anexar
        </div>
      )}
      <MessageList
        key={`list-${c.id}`}
        conversationId={c.id}
        focusId={focusMessageId}
        onReply={canWrite ? setReplyTo : undefined}
      />
      {canWrite && canNote && (
        <fieldset className="composer-tabs" aria-label="Tipo de mensagem">
          <button type="button" className="btn btn-small" aria-pressed={!noteMode} onClick={() => setNoteMode(false)}>
            Mensagem
          </button>
          <button type="button" className="btn btn-small" aria-pressed={noteMode} onClick={() => setNoteMode(true)}>
            Nota interna
          </button>
        </fieldset>
      )}
      {notes ? (
        <>
          {!canWrite && (
            <p className="chat-readonly muted small">
              {readOnly ? "Visualização somente leitura." : "Esta conversa não está aberta."} Notas internas seguem
              disponíveis.
            </p>
          )}
          <NoteComposer key={`note-${c.id}`} conversationId={c.id} onSaved={refresh} />
        </>
      ) : canWrite ? (
        <Composer
          key={`composer-${c.id}`}
          conversationId={c.id}
          instanceId={c.instanceId}
          replyTo={replyTo}
          onClearReply={() => setReplyTo(null)}
          onSent={refresh}
          windowOpen={windowState(c.lastInboundAt, now).open}
          file={file}
          onFile={setFile}
          values={{ nome: c.contact.name ?? "", operador: me.name, protocolo: c.protocol ?? "" }}
        />
      ) : (
        <p className="chat-readonly muted small">
          {readOnly ? "Visualização somente leitura." : "Esta conversa não está aberta: não é possível responder."}
        </p>
      )}
    </section>
  );
}
