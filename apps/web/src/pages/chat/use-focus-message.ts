import { useEffect, useRef } from "react";
import type { Message } from "../../lib/types";

/**
 * Brings message `focusId` (a search hit) into view once: older pages are
 * loaded until it is among them (or the history ends), then it is scrolled to
 * the middle of the pane.
 */
export function useFocusMessage(opts: {
  focusId: string | undefined;
  items: Message[];
  ready: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
  scrollTo: (index: number) => void;
}) {
  const done = useRef<string | null>(null);
  const { focusId, items, ready, hasOlder, loadingOlder, loadOlder, scrollTo } = opts;
  useEffect(() => {
    if (!focusId || !ready || done.current === focusId) return;
    const at = items.findIndex((m) => m.id === focusId);
    if (at >= 0) {
      done.current = focusId;
      // After the list's own layout effect (which opens at the newest message).
      requestAnimationFrame(() => scrollTo(at));
    } else if (hasOlder && !loadingOlder) loadOlder();
  }, [focusId, items, ready, hasOlder, loadingOlder, loadOlder, scrollTo]);
}
