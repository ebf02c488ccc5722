import { type ReactNode, useEffect, useId, useRef } from "react";
import { StrokeIcon } from "./icon";

/**
 * An icon button that opens a small panel beside it (a menu, a row of emojis). Escape on
 * the button or a click anywhere else closes it. The parent holds `open`, so a pick in the
 * panel can close it too.
 */
export function Popover({
  open,
  onOpenChange,
  className,
  buttonClassName,
  title,
  label,
  iconSize,
  icon,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The wrapper's class: it places the panel. */
  className: string;
  buttonClassName: string;
  /** The button's tooltip. */
  title?: string;
  /** What the button is called for screen readers. */
  label: string;
  iconSize: number;
  /** The icon's strokes, in a 24×24 box. */
  icon: ReactNode;
  /** The panel, given the id the button says it controls. */
  children: (id: string) => ReactNode;
}) {
  const panelId = useId();
  const ref = useRef<HTMLDivElement>(null);
  // A click elsewhere closes the panel.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onOpenChange(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open, onOpenChange]);
  return (
    <div className={className} ref={ref}>
      <button
        type="button"
        className={buttonClassName}
        aria-expanded={open}
        aria-controls={panelId}
        title={title}
        onClick={() => onOpenChange(!open)}
        onKeyDown={(e) => {
          if (e.key === "Escape") onOpenChange(false);
        }}
      >
        <StrokeIcon size={iconSize}>{icon}</StrokeIcon>
        <span className="sr-only">{label}</span>
      </button>
      {open && children(panelId)}
    </div>
  );
}
