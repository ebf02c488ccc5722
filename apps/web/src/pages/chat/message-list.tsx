import { type InfiniteData, useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import type { Message, MessagePage } from "../../lib/types";
import { EmptyState, ErrorBox, Loading } from "../../ui/feedback";
import { MessageBubble } from "./message-bubble";
import { messagesKey, PAGE_SIZE } from "./messages-cache";
import { foldOwnReactions } from "./own-reactions";
import { useFocusMessage } from "./use-focus-message";

/**
 * The history of a conversation, oldest at the top, virtualized (thousands of
 * messages stay smooth). Opens at the newest message; scrolling up loads older
 * pages and keeps what the user was reading in place; new messages scroll into
 * view only when the user is already at the bottom.
 */
export function MessageList({
  conversationId,
  focusId,
  onReply,
}: {
  conversationId: string;
  /** A message to open at (a search hit), outlined. */
  focusId?: string;
  onReply?: (m: Message) => void;
}) {
  const api = useApi();
  const query = useInfiniteQuery<
    MessagePage,
    Error,
    InfiniteData<MessagePage, string | undefined>,
    ReturnType<typeof messagesKey>,
    string | undefined
  >({
    queryKey: messagesKey(conversationId),
    queryFn: ({ pageParam }) => api.messages.list.query({ conversationId, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
  // Pages come newest first; the list shows oldest first; our reactions become marks on their targets.
  const { items, own, byId } = useMemo(() => {
    const all = (query.data?.pages.flatMap((p) => p.items) ?? []).slice().reverse();
    const folded = foldOwnReactions(all);
    return { items: folded.shown, own: folded.own, byId: new Map(all.map((m) => [m.id, m])) };
  }, [query.data]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (i) => items[i]?.id ?? i,
  });

  // Remember how far from the bottom the reader is, to restore it when older pages are prepended.
  const fromBottom = useRef(0);
  const oldestId = useRef<string | undefined>(undefined);
  const newestId = useRef<string | undefined>(undefined);
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || items.length === 0) return;
    const oldest = items[0]?.id;
    const newest = items[items.length - 1]?.id;
    const first = newestId.current === undefined;
    if (first || (newest !== newestId.current && atBottom.current)) {
      virtualizer.scrollToIndex(items.length - 1, { align: "end" });
    } else if (oldest !== oldestId.current) {
      el.scrollTop = el.scrollHeight - fromBottom.current;
    }
    oldestId.current = oldest;
    newestId.current = newest;
  }, [items, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    fromBottom.current = el.scrollHeight - el.scrollTop;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (el.scrollTop < 300 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  };

  useFocusMessage({
    focusId,
    items,
    ready: query.isSuccess,
    hasOlder: query.hasNextPage,
    loadingOlder: query.isFetchingNextPage,
    loadOlder: () => void query.fetchNextPage(),
    scrollTo: (i) => virtualizer.scrollToIndex(i, { align: "center" }),
  });

  // A short first page may not fill the pane: keep loading until it scrolls or history ends.
  useEffect(() => {
    const el = scrollRef.current;
    if (el && query.hasNextPage && !query.isFetchingNextPage && el.scrollHeight <= el.clientHeight) {
      void query.fetchNextPage();
    }
  });

  if (query.isPending) return <Loading label="Carregando mensagens…" />;
  if (query.error) return <ErrorBox message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  if (items.length === 0) {
    return (
      <EmptyState title="Nenhuma mensagem ainda">
        <p>As mensagens desta conversa aparecerão aqui assim que chegarem.</p>
      </EmptyState>
    );
  }
  return (
    <div className="msg-pane">
      {query.isFetchingNextPage && (
        <div className="msg-older">
          <Loading label="Carregando mensagens anteriores…" />
        </div>
      )}
      <div
        ref={scrollRef}
        className="msg-scroll"
        onScroll={onScroll}
        role="log"
        aria-label="Mensagens da conversa"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the history must scroll with the keyboard
        tabIndex={0}
      >
        {!query.hasNextPage && <p className="msg-start muted small">Início da conversa</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((row) => {
            const m = items[row.index];
            if (!m) return null;
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className={m.id === focusId ? "msg-row msg-focus" : "msg-row"}
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  width: "100%",
                  transform: `translateY(${row.start}px)`,
                }}
              >
                <MessageBubble
                  message={m}
                  onReply={onReply}
                  quoted={m.replyToId ? byId.get(m.replyToId) : undefined}
                  ownReaction={own.get(m.id)}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
