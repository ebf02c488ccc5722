import type { ReactNode } from "react";

/** A line icon drawn in a 24×24 box in the text's colour; hidden from screen readers (its button names it). */
export function StrokeIcon({ size, children }: { size: number; children: ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      {children}
    </svg>
  );
}
