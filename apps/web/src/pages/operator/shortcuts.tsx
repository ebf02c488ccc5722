import { useEffect, useRef } from "react";
import { Dialog } from "../../ui/dialog";

/** The inbox's keyboard shortcuts, shown by `?`. Single keys, ignored while typing in a field. */
export const SHORTCUTS = [
  { keys: ["j"], label: "Próxima conversa" },
  { keys: ["k"], label: "Conversa anterior" },
  { keys: ["e"], label: "Encerrar a conversa aberta" },
  { keys: ["t"], label: "Transferir a conversa aberta" },
  { keys: ["/"], label: "Respostas rápidas (no campo de mensagem)" },
  { keys: ["n"], label: "Nova conversa" },
  { keys: ["?"], label: "Esta ajuda" },
] as const;

export type ShortcutAction = "next" | "previous" | "close" | "transfer" | "quick" | "start" | "help";
const ACTION: Record<string, ShortcutAction> = {
  j: "next",
  k: "previous",
  e: "close",
  t: "transfer",
  "/": "quick",
  n: "start",
  "?": "help",
};

/** Calls `on` for a shortcut key pressed outside text fields and dialogs. */
export function useShortcuts(on: (action: ShortcutAction) => void) {
  const latest = useRef(on);
  latest.current = on;
  useEffect(() => {
    const handler = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest("input, textarea, select, [contenteditable], dialog")) return;
      const action = ACTION[e.key];
      if (!action) return;
      e.preventDefault();
      latest.current(action);
    };
    window.addEventListener("keydown", handler);
    return () => window.removeEventListener("keydown", handler);
  }, []);
}

/** "Atalhos do teclado": every shortcut and its key. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Atalhos do teclado" onClose={onClose}>
      <div className="dialog-body">
        <dl className="shortcut-list">
          {SHORTCUTS.map((s) => (
            <div key={s.label} className="shortcut-row">
              <dt>
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </dt>
              <dd>{s.label}</dd>
            </div>
          ))}
        </dl>
        <footer className="dialog-footer">
          <button type="button" className="btn btn-primary" onClick={onClose}>
            Entendi
          </button>
        </footer>
      </div>
    </Dialog>
  );
}
