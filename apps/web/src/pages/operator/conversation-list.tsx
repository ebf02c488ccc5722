import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useRef } from "react";
import { formatDuration, formatPhone, formatWhen } from "../../lib/format";
import type { Conversation } from "../../lib/types";
import { contactLabel } from "../chat/chat-view";

const ROW = 68;

/** The customer wrote last: he is waiting for an answer since then. */
export function waitingSince(c: Conversation): number | null {
  if (!c.lastInboundAt) return null;
  const inbound = new Date(c.lastInboundAt).getTime();
  const last = c.lastMessageAt ? new Date(c.lastMessageAt).getTime() : inbound;
  return inbound >= last ? inbound : null;
}

/**
 * The operator's conversations, virtualized (1,000 rows stay smooth). Each row
 * is a button; ↑/↓ move between rows, Enter opens.
 */
export function ConversationList({
  items,
  selectedId,
  onSelect,
  now,
}: {
  items: Conversation[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  now: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 10,
    getItemKey: (i) => items[i]?.id ?? i,
  });

  const focusRow = (index: number) => {
    if (index < 0 || index >= items.length) return;
    virtualizer.scrollToIndex(index);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLButtonElement>(`[data-row="${index}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = Number((document.activeElement as HTMLElement | null)?.dataset.row ?? -1);
    if (e.key === "ArrowDown") focusRow(at + 1);
    else if (e.key === "ArrowUp") focusRow(at - 1);
    else if (e.key === "Home") focusRow(0);
    else if (e.key === "End") focusRow(items.length - 1);
    else return;
    e.preventDefault();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move focus between the row buttons
    <div ref={scrollRef} className="conv-scroll" onKeyDown={onKey}>
      <ul style={{ height: virtualizer.getTotalSize(), position: "relative" }} aria-label="Minhas conversas">
        {virtualizer.getVirtualItems().map((row) => {
          const c = items[row.index];
          if (!c) return null;
          const waiting = waitingSince(c);
          const name = contactLabel(c);
          return (
            <li
              key={row.key}
              style={{
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: ROW,
                transform: `translateY(${row.start}px)`,
              }}
            >
              <button
                type="button"
                data-row={row.index}
                className="conv-item"
                aria-current={c.id === selectedId ? "true" : undefined}
                onClick={() => onSelect(c.id)}
              >
                <span className="conv-line">
                  <span className="conv-name">{name}</span>
                  <time className="conv-time muted small" dateTime={String(c.lastMessageAt ?? c.assignedAt ?? "")}>
                    {formatWhen(c.lastMessageAt ?? c.assignedAt, now)}
                  </time>
                </span>
                <span className="conv-line">
                  <span className="muted small">{formatPhone(c.contact.phone)}</span>
                  <span className="conv-flags">
                    {waiting !== null && (
                      <span className="badge badge-warn" title="Tempo desde a última mensagem do cliente sem resposta">
                        aguardando {formatDuration(now - waiting)}
                      </span>
                    )}
                    {c.unreadCount > 0 && (
                      <span className="badge badge-unread">
                        {c.unreadCount}
                        <span className="sr-only"> não lidas</span>
                      </span>
                    )}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
