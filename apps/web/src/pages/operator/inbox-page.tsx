import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { navigate, useLocation } from "../../lib/router";
import { setTitleBadge } from "../../lib/title-badge";
import { useNow } from "../../lib/use-now";
import { EmptyState, ErrorBox, Loading, Notice } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { SideConversation } from "../chat/side-conversation";
import { ConversationList } from "./conversation-list";
import { type InboxDialog, InboxDialogs } from "./inbox-dialogs";
import { MessageSearch, type SearchHit } from "./message-search";
import { useShortcuts } from "./shortcuts";
import { StatusSwitcher } from "./status-switcher";
import { MINE_KEY, markRead, useInboxLive } from "./use-inbox-live";
import { WorkspaceChat } from "./workspace-chat";

/**
 * Operador › Atendimentos: my open conversations, the chat with the customer
 * panel, message search, my status. A conversation I may read but do not hold
 * (the customer's past ones, a search hit) opens read-only in a side view.
 */
export default function InboxPage() {
  const api = useApi();
  const qc = useQueryClient();
  const { query } = useLocation();
  const selectedId = query.get("c");
  const focusId = query.get("m") ?? undefined;
  const [side, setSide] = useState<{ conversationId: string; messageId?: string } | null>(null);
  const now = useNow(15_000);
  const [filter, setFilter] = useState("");
  const [dialog, setDialog] = useState<InboxDialog>(null);
  const [gone, setGone] = useState<string | null>(null);
  const mine = useQuery({ queryKey: MINE_KEY, queryFn: () => api.conversations.mine.query() });
  useInboxLive(selectedId);

  const list = mine.data ?? [];
  const selected = list.find((c) => c.id === selectedId) ?? null;
  const unread = list.reduce((n, c) => n + (c.id === selectedId ? 0 : c.unreadCount), 0);
  useEffect(() => {
    setTitleBadge(unread);
  }, [unread]);
  useEffect(() => () => setTitleBadge(0), []);

  // Opening a conversation reads it.
  const selectedUnread = selected?.unreadCount ?? 0;
  useEffect(() => {
    if (selectedId && selectedUnread > 0) void markRead(qc, api, selectedId);
  }, [selectedId, selectedUnread, qc, api]);

  // The open conversation left the list (closed, expired, transferred): say so instead of a blank pane.
  const wasSelected = selectedId !== null && mine.isSuccess && !selected;
  useEffect(() => {
    if (wasSelected) {
      setGone("A conversa que estava aberta não está mais com você (encerrada, expirada ou transferida).");
      navigate("/atendimentos", { replace: true });
    }
  }, [wasSelected]);

  const q = filter.trim().toLowerCase();
  const shown = useMemo(
    () =>
      q
        ? list.filter(
            (c) =>
              (c.contact.name ?? "").toLowerCase().includes(q) ||
              (c.contact.phone ?? "").includes(q.replace(/\D/g, "") || q) ||
              c.protocol.startsWith(q) ||
              c.tags.some((t) => t.includes(q.replace(/^#/, ""))),
          )
        : list,
    [list, q],
  );
  const open = (id: string, messageId?: string) => {
    setGone(null);
    navigate(`/atendimentos?c=${id}${messageId ? `&m=${messageId}` : ""}`);
  };
  const openHit = (h: SearchHit) => {
    if (h.mine && h.status === "OPEN") {
      setSide(null);
      open(h.conversationId, h.id);
    } else setSide({ conversationId: h.conversationId, messageId: h.id });
  };
  // j/k move through the list, e closes, t transfers, / opens the quick replies, n starts one, ? helps.
  useShortcuts((action) => {
    const at = shown.findIndex((c) => c.id === selectedId);
    if (action === "next" || action === "previous") {
      // Wraps around: the last "next" goes back to the first.
      const n = shown.length;
      const next = shown[action === "next" ? (at + 1) % n : (at - 1 + n) % n];
      if (next) open(next.id);
    } else if (action === "close" || action === "transfer") {
      if (selected) setDialog(action);
    } else if (action === "quick") {
      const box = document.querySelector<HTMLTextAreaElement>(".composer textarea");
      box?.focus();
      if (box && box.value === "") document.execCommand("insertText", false, "/");
    } else setDialog(action === "start" ? "start" : "help");
  });
  const done = () => {
    setDialog(null);
    navigate("/atendimentos", { replace: true });
    void qc.invalidateQueries({ queryKey: MINE_KEY });
  };

  return (
    <section aria-labelledby="page-title" className="inbox">
      <header className="page-header">
        <h1 id="page-title">Atendimentos</h1>
        <MessageSearch onOpen={openHit} />
        <div className="inbox-tools">
          <button type="button" className="btn btn-primary" onClick={() => setDialog("start")}>
            Nova conversa
          </button>
          <button type="button" className="btn" onClick={() => setDialog("help")} aria-keyshortcuts="?">
            Atalhos <kbd>?</kbd>
          </button>
        </div>
        <StatusSwitcher />
      </header>
      <div className="inbox-body">
        <aside className="inbox-list" aria-label="Conversas">
          <TextField
            label="Filtrar conversas"
            type="search"
            placeholder="Nome, telefone, protocolo ou etiqueta"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <p className="muted small" aria-live="polite">
            {list.length === 1 ? "1 conversa aberta" : `${list.length} conversas abertas`}
            {unread > 0 ? ` · ${unread} não lidas` : ""}
          </p>
          {mine.isPending && <Loading />}
          {mine.error && <ErrorBox message={errorMessage(mine.error)} onRetry={() => void mine.refetch()} />}
          {mine.isSuccess && list.length === 0 && (
            <EmptyState title="Nenhuma conversa com você">
              <p>Fique online: as novas conversas da fila chegam aqui sozinhas.</p>
            </EmptyState>
          )}
          {mine.isSuccess && list.length > 0 && shown.length === 0 && (
            <EmptyState title="Nada encontrado">
              <p>Nenhuma conversa com esse nome, telefone, protocolo ou etiqueta.</p>
            </EmptyState>
          )}
          {shown.length > 0 && <ConversationList items={shown} selectedId={selectedId} onSelect={open} now={now} />}
        </aside>
        <div className="inbox-chat">
          {gone && <Notice>{gone}</Notice>}
          {selected ? (
            <WorkspaceChat
              key={selected.id}
              conversation={selected}
              focusMessageId={focusId}
              onOpenConversation={(id) => setSide({ conversationId: id })}
              onTransfer={() => setDialog("transfer")}
              onClose={() => setDialog("close")}
            />
          ) : (
            !gone && (
              <EmptyState title="Nenhuma conversa selecionada">
                <p>Escolha uma conversa na lista ao lado para ver as mensagens.</p>
              </EmptyState>
            )
          )}
        </div>
      </div>
      {side && (
        <SideConversation
          key={`${side.conversationId}-${side.messageId ?? ""}`}
          conversationId={side.conversationId}
          messageId={side.messageId}
          onClose={() => setSide(null)}
        />
      )}
      <InboxDialogs
        dialog={dialog}
        selected={selected}
        onClose={() => setDialog(null)}
        onDone={done}
        onStarted={(id) => {
          setDialog(null);
          // Opened once the list has it, or the inbox would take it for a conversation that left.
          void qc.invalidateQueries({ queryKey: MINE_KEY }).then(() => open(id));
        }}
      />
    </section>
  );
}
