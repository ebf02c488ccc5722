import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { CONVERSATION_STATUS, formatDateTime, formatPhone } from "../../lib/format";
import { spDayStart } from "../../lib/period";
import { str } from "../../lib/types";
import { useDebounced } from "../../lib/use-debounced";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { SelectField, TextField } from "../../ui/field";
import { ChatView, contactLabel } from "../chat/chat-view";
import { refreshNewest } from "../chat/messages-cache";
import { TransferDialog } from "../chat/transfer-dialog";
import { ReopenButton } from "./reopen-button";
import { useLiveInvalidate } from "./use-staff-live";

type Status = keyof typeof CONVERSATION_STATUS;
const PAGE = 50;

/** Supervisão › Conversas: every conversation with filters, a read-only chat, transfer and reopen. */
export default function ConversationsPage() {
  const api = useApi();
  const qc = useQueryClient();
  const [status, setStatus] = useState<Status | "">("");
  const [operatorId, setOperatorId] = useState("");
  const [tabulationId, setTabulationId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [search, setSearch] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
  const [transfer, setTransfer] = useState(false);
  const [stale, setStale] = useState(false);
  const q = useDebounced(search.trim());
  const filters = {
    status: status || undefined,
    operatorId: operatorId || undefined,
    tabulationId: tabulationId || undefined,
    from: from ? spDayStart(from) : undefined,
    to: to ? new Date(spDayStart(to).getTime() + 86_400_000) : undefined,
    search: q || undefined,
  };
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
    const id = str(e.payload, "conversationId");
    if (e.kind.startsWith("conversation.")) setStale(true);
    if (id && id === openId) {
      if (e.kind.startsWith("message.")) void refreshNewest(qc, api, id);
      else void qc.invalidateQueries({ queryKey: ["conversations.get", id] });
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
      <search className="filters" aria-label="Filtrar conversas">
        <TextField
          label="Buscar"
          type="search"
          placeholder="Nome, telefone ou e-mail do cliente"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <SelectField label="Situação" value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
          <option value="">Todas</option>
          {Object.entries(CONVERSATION_STATUS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </SelectField>
        <SelectField label="Operador" value={operatorId} onChange={(e) => setOperatorId(e.target.value)}>
          <option value="">Todos</option>
          {(board.data ?? []).map((o) => (
            <option key={o.userId} value={o.userId}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Tabulação" value={tabulationId} onChange={(e) => setTabulationId(e.target.value)}>
          <option value="">Todas</option>
          {(tabs.data ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.active ? "" : " (inativa)"}
            </option>
          ))}
        </SelectField>
        <TextField label="Criadas de" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label="até" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
      </search>

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
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Conversas</caption>
                <thead>
                  <tr>
                    <th scope="col">Cliente</th>
                    <th scope="col">Situação</th>
                    <th scope="col">Operador</th>
                    <th scope="col">Tabulação</th>
                    <th scope="col">Criada em</th>
                    <th scope="col">
                      <span className="sr-only">Ações</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} aria-current={r.id === openId ? "true" : undefined}>
                      <td>
                        {contactLabel(r)}
                        <div className="muted small">{formatPhone(r.contact.phone)}</div>
                      </td>
                      <td>
                        <span className={`badge status-${r.status.toLowerCase()}`}>
                          {CONVERSATION_STATUS[r.status]}
                        </span>
                      </td>
                      <td>{r.operatorName ?? "—"}</td>
                      <td>{r.tabulationId ? (tabName.get(r.tabulationId) ?? "—") : "—"}</td>
                      <td>{formatDateTime(r.createdAt)}</td>
                      <td className="actions">
                        <button
                          type="button"
                          className="btn btn-small"
                          onClick={() => setOpenId(r.id)}
                          aria-label={`Abrir conversa de ${contactLabel(r)}`}
                        >
                          Abrir
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {list.hasNextPage && (
            <button
              type="button"
              className="btn"
              disabled={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? "Carregando…" : "Carregar mais"}
            </button>
          )}
        </div>
        {openId && detail.error && <ErrorBox message={errorMessage(detail.error)} />}
        {c && (
          <div className="split-detail">
            <ChatView
              key={c.id}
              conversation={c}
              readOnly
              actions={
                <>
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
