import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { spDayStart } from "../../lib/period";
import { ofPrefix } from "../../lib/types";
import { useDebounced } from "../../lib/use-debounced";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { LoadMore } from "../../ui/load-more";
import { ChatView, contactLabel } from "../chat/chat-view";
import { CustomerPanel } from "../chat/customer-panel";
import { refreshNewest } from "../chat/messages-cache";
import { TransferDialog } from "../chat/transfer-dialog";
import { ConversationFilters, type FilterValues, NO_FILTERS } from "./conversation-filters";
import { ConversationTable } from "./conversation-table";
import { ReopenButton } from "./reopen-button";
import { useDepartments } from "./use-departments";
import { useLiveInvalidate } from "./use-staff-live";

const PAGE = 50;

/**
 * Supervisão › Conversas: every conversation with filters, a read-only chat, transfer and reopen, and the
 * customer panel (where staff edit the contact) in a side view.
 */
export default function ConversationsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const [f, setF] = useState<FilterValues>(NO_FILTERS);
  const { status, operatorId, tabulationId, departmentId, from, to, search, tag } = f;
  const [openId, setOpenId] = useState<string | null>(null);
  const [transfer, setTransfer] = useState(false);
  const [panel, setPanel] = useState(false);
  const [stale, setStale] = useState(false);
  const q = useDebounced(search.trim());
  const tagQ = useDebounced(tag.trim());
  const filters = {
    status: status || undefined,
    operatorId: operatorId || undefined,
    tabulationId: tabulationId || undefined,
    departmentId: departmentId || undefined,
    from: from ? spDayStart(from) : undefined,
    to: to ? new Date(spDayStart(to).getTime() + 86_400_000) : undefined,
    search: q || undefined,
    tag: tagQ || undefined,
  };
  const departments = useDepartments();
  const board = useQuery({ queryKey: ["presence.board"], queryFn: () => api.presence.board.query() });
  const tabs = useQuery({
    queryKey: ["tabulations.list", true],
    queryFn: () => api.tabulations.list.query({ includeInactive: true }),
  });
  const list = useInfiniteQuery({
    queryKey: ["conversations.list", filters],
    queryFn: ({ pageParam }) => api.conversations.list.query({ ...filters, cursor: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const detail = useQuery({
    queryKey: ["conversations.get", openId],
    queryFn: () => api.conversations.get.query({ id: openId ?? "" }),
    enabled: openId !== null,
  });
  // The list is not refetched on every event (many pages): offer a refresh; the open chat updates itself.
  useLiveInvalidate(["onConversation", "onMessage"], [], (e) => {
    if (ofPrefix(e, "conversation.")) {
      setStale(true);
      const id = e.payload.conversationId;
      if (id === openId) void qc.invalidateQueries({ queryKey: ["conversations.get", id] });
    } else if (ofPrefix(e, "message.") && e.payload.conversationId === openId) {
      void refreshNewest(qc, api, e.payload.conversationId);
    }
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const tabName = new Map((tabs.data ?? []).map((t) => [t.id, t.name]));
  const refresh = () => {
    setStale(false);
    void list.refetch();
  };
  const c = detail.data;

  return (
    <section aria-labelledby="page-title" className="stack">
      <header className="page-header">
        <h1 id="page-title">Conversas</h1>
        {stale && (
          <button type="button" className="btn" onClick={refresh}>
            Há novidades · Atualizar lista
          </button>
        )}
      </header>
      <ConversationFilters
        value={f}
        onChange={setF}
        operators={board.data ?? []}
        tabulations={tabs.data ?? []}
        departments={departments.list}
      />

      <div className={c ? "split" : undefined}>
        <div className="stack">
          {list.isPending && <Loading />}
          {list.error && <ErrorBox message={errorMessage(list.error)} onRetry={() => void list.refetch()} />}
          {list.isSuccess && rows.length === 0 && (
            <EmptyState title="Nenhuma conversa encontrada">
              <p>Mude a busca, os filtros ou o período.</p>
            </EmptyState>
          )}
          {rows.length > 0 && (
            <ConversationTable
              rows={rows}
              openId={openId}
              tabName={tabName}
              departments={departments.byId}
              onOpen={setOpenId}
            />
          )}
          <LoadMore list={list} />
        </div>
        {openId && detail.error && <ErrorBox message={errorMessage(detail.error)} />}
        {c && (
          <div className="split-detail">
            <ChatView
              key={c.id}
              conversation={c}
              readOnly
              canNote
              actions={
                <>
                  <button type="button" className="btn" aria-expanded={panel} onClick={() => setPanel(!panel)}>
                    Cliente
                  </button>
                  {(c.status === "OPEN" || c.status === "WAITING") && (
                    <button type="button" className="btn" onClick={() => setTransfer(true)}>
                      {c.status === "WAITING" ? "Atribuir" : "Transferir"}
                    </button>
                  )}
                  {(c.status === "CLOSED" || c.status === "EXPIRED") && (
                    <ReopenButton
                      id={c.id}
                      onDone={() => void qc.invalidateQueries({ queryKey: ["conversations.get", c.id] })}
                    />
                  )}
                  <button type="button" className="btn btn-ghost" onClick={() => setOpenId(null)}>
                    Fechar painel
                  </button>
                </>
              }
            />
          </div>
        )}
      </div>
      {c && panel && (
        <div className="side-view">
          <CustomerPanel
            contactId={c.contact.id}
            currentConversationId={c.id}
            onClose={() => setPanel(false)}
            onOpenConversation={(id) => {
              setPanel(false);
              setOpenId(id);
            }}
            focus="move"
          />
        </div>
      )}
      {c && transfer && (
        <TransferDialog
          conversationId={c.id}
          currentOperatorId={c.operatorId}
          allowQueue={c.status !== "WAITING"}
          title={c.status === "WAITING" ? `Atribuir ${contactLabel(c)}` : `Transferir ${contactLabel(c)}`}
          onClose={() => setTransfer(false)}
          onDone={() => {
            setTransfer(false);
            void qc.invalidateQueries({ queryKey: ["conversations.get", c.id] });
            refresh();
          }}
        />
      )}
    </section>
  );
}
