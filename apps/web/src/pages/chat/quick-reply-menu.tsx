import { type KeyboardEvent, useState } from "react";
import { type QuickReplyValues, slashQuery, useQuickReplies } from "./quick-replies";

type Reply = {
  id: string;
  shortcut: string;
  body: string;
  shared: boolean;
  attachment: { fileName: string; size: number } | null;
};

/**
 * The list that opens when the composer holds `/word`: quick replies whose
 * shortcut or text matches, ↑/↓ to move, Enter or Tab to use one, Esc to close.
 * `onKey` is the composer's keydown hook: true when the menu handled the key.
 */
export function useQuickReplyMenu(text: string, onPick: (reply: Reply) => void) {
  const query = slashQuery(text);
  const replies = useQuickReplies(query !== null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const open = query !== null && dismissed !== text;
  const matches = open
    ? (replies.data ?? []).filter((r) => r.shortcut.includes(query) || r.body.toLowerCase().includes(query)).slice(0, 8)
    : [];
  // A new query starts at the first match.
  const [lastQuery, setLastQuery] = useState(query);
  if (lastQuery !== query) {
    setLastQuery(query);
    setActive(0);
  }
  const onKey = (e: KeyboardEvent): boolean => {
    if (!open) return false;
    if (e.key === "Escape") {
      setDismissed(text);
    } else if (matches.length === 0) {
      return false;
    } else if (e.key === "ArrowDown") setActive((a) => (a + 1) % matches.length);
    else if (e.key === "ArrowUp") setActive((a) => (a - 1 + matches.length) % matches.length);
    else if (e.key === "Enter" || e.key === "Tab") {
      const pick = matches[active];
      if (pick) onPick(pick);
    } else return false;
    e.preventDefault();
    return true;
  };
  const menu = open ? (
    <QuickReplyList matches={matches} active={active} loading={replies.isPending} onPick={onPick} />
  ) : null;
  return { open, onKey, menu, activeId: open ? matches[active]?.id : undefined };
}

function QuickReplyList({
  matches,
  active,
  loading,
  onPick,
}: {
  matches: Reply[];
  active: number;
  loading: boolean;
  onPick: (r: Reply) => void;
}) {
  return (
    <div className="quick-menu">
      <div id="quick-replies" role="listbox" aria-label="Respostas rápidas">
        {matches.map((r, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the composer's textarea drives the keyboard (↑/↓/Enter)
          <div
            key={r.id}
            tabIndex={-1}
            id={`quick-${r.id}`}
            role="option"
            aria-selected={i === active}
            className="quick-item"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onPick(r)}
          >
            <strong>/{r.shortcut}</strong> {r.shared && <span className="badge">compartilhada</span>}
            {r.attachment && <span className="muted small"> 📎 {r.attachment.fileName}</span>}
            <span className="quick-body muted small">{r.body}</span>
          </div>
        ))}
      </div>
      {!loading && matches.length === 0 && <p className="muted small">Nenhuma resposta rápida com esse atalho.</p>}
      <p className="muted small quick-hint">↑/↓ escolhem · Enter usa · Esc fecha</p>
    </div>
  );
}

export type { QuickReplyValues };
