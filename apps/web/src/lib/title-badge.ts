import { useSyncExternalStore } from "react";

/**
 * A count shown in front of the page title, "(3) Atendimentos · …": the
 * inbox sets its unread total here and the shell composes the title.
 */
let count = 0;
const listeners = new Set<() => void>();

export function setTitleBadge(n: number): void {
  if (n === count) return;
  count = n;
  for (const fn of listeners) fn();
}

export function useTitleBadge(): number {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => count,
  );
}
