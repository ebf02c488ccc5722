import { useEffect, useState } from "react";

/** The current time, refreshed every `ms`: drives "há 3 min" timers without one interval per row. */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
