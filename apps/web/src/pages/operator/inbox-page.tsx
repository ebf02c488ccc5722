import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { navigate, useLocation } from "../../lib/router";
import { setTitleBadge } from "../../lib/title-badge";
import { useNow } from "../../lib/use-now";
import { EmptyState, ErrorBox, Loading, Notice } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { ChatView, contactLabel } from "../chat/chat-view";
import { CloseDialog } from "../chat/close-dialog";
import { TransferDialog } from "../chat/transfer-dialog";
import { ConversationList } from "./conversation-list";
import { StatusSwitcher } from "./status-switcher";
import { MINE_KEY, markRead, useInboxLive } from "./use-inbox-live";

/** Operador › Atendimentos: my open conversations, the chat, my status. */
export default function InboxPage() {
  const api = useApi();
  const qc = useQueryClient();
  const { query } = useLocation();
  const selectedId = query.get("c");
  const now = useNow(15_000);
  const [filter, setFilter] = useState("");
  const [dialog, setDialog] = useState<"close" | "transfer" | null>(null);
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
  const open = (id: string) => {
    setGone(null);
    navigate(`/atendimentos?c=${id}`);
  };
  const done = () => {
    setDialog(null);
    navigate("/atendimentos", { replace: true });
    void qc.invalidateQueries({ queryKey: MINE_KEY });
  };

  return (
    <section aria-labelledby="page-title" className="inbox">
      <header className="page-header">
        <h1 id="page-title">Atendimentos</h1>
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
            <ChatView
              key={selected.id}
              conversation={selected}
              actions={
                <>
                  <button type="button" className="btn" onClick={() => setDialog("transfer")}>
                    Devolver à fila
                  </button>
                  <button type="button" className="btn btn-primary" onClick={() => setDialog("close")}>
                    Encerrar
                  </button>
                </>
              }
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
      {selected && dialog === "close" && (
        <CloseDialog
          conversationId={selected.id}
          contactLabel={contactLabel(selected)}
          onClose={() => setDialog(null)}
          onDone={done}
        />
      )}
      {selected && dialog === "transfer" && (
        <TransferDialog
          conversationId={selected.id}
          currentOperatorId={selected.operatorId}
          title="Devolver à fila"
          onClose={() => setDialog(null)}
          onDone={done}
        />
      )}
    </section>
  );
}
