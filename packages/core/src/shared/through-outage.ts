import type { CoreContext } from "./context";
import { isDatabaseUnavailable } from "./pg";

/** How long a write of something that already happened outside waits for the database. */
export const OUTAGE_PATIENCE_MS = 60_000;

/**
 * Runs `write`, trying again while the database is unavailable (a restart) for up
 * to `patienceMs`. For writes that record what already happened outside, such as
 * a provider's answer to a send: that answer exists only in memory, and giving up
 * would turn a known outcome into an unknown one ("may have been sent"). `write`
 * must be safe to repeat (its commit may have landed before the link died).
 */
export async function writeThroughOutage<T>(
  ctx: Pick<CoreContext, "log">,
  what: string,
  write: () => Promise<T>,
  patienceMs = OUTAGE_PATIENCE_MS,
): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() >= deadline) throw err;
      if (attempt === 0) ctx.log.warn({ err: { message: (err as Error).message } }, `${what}: database away, waiting`);
      await new Promise((r) => setTimeout(r, Math.min(2_000, 250 * 2 ** attempt)));
    }
  }
}
