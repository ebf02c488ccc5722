import { type RefObject, useEffect } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

const visible = (el: HTMLElement) => el.getClientRects().length > 0;

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(visible);
}

/**
 * Focus for a panel shown over the page: `move` takes the focus into it when it
 * opens and gives it back when it closes (to the control that opened it, or,
 * when that one is hidden in a closed menu, to its `[data-focus-return]` toggle);
 * `trap` also keeps Tab and Shift+Tab inside it, for a panel that covers what is
 * behind (a sheet on a phone). `none`: a panel docked in the page.
 */
export function usePanelFocus(ref: RefObject<HTMLElement | null>, mode: "none" | "move" | "trap") {
  useEffect(() => {
    const root = ref.current;
    if (!root || mode === "none") return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    (focusables(root)[0] ?? root).focus();
    const onKey = (e: KeyboardEvent) => {
      if (mode !== "trap" || e.key !== "Tab") return;
      const list = focusables(root);
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last) return;
      const at = document.activeElement;
      if (e.shiftKey && (at === first || !root.contains(at))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (at === last || !root.contains(at))) {
        e.preventDefault();
        first.focus();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      if (!opener?.isConnected) return;
      const back = visible(opener)
        ? opener
        : opener.closest("[data-focus-return]")?.querySelector<HTMLElement>("[data-focus-return-target]");
      back?.focus();
    };
  }, [ref, mode]);
}
