/** The most messages a search tests one by one after its newest, for words a little short of a page there. */
const EXTRA_WALK = 2000;

/**
 * How many more messages a search tests one by one after its newest `walked` gave `found` matches of `want`: enough for the
 * rest at that rate, and half again, when that is at most EXTRA_WALK; else 0 (its GIN reads are cheaper then: a word's
 * entry read whole costs ~0.5 µs a match, a message tested ~30 µs).
 */
export function extraWalk(found: number, walked: number, want: number): number {
  if (found >= want || found < 3 || walked === 0) return 0;
  const more = Math.ceil((1.5 * (want - found) * walked) / found);
  return more <= EXTRA_WALK ? Math.max(more, 100) : 0;
}
