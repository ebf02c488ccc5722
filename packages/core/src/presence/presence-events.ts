import { publishEvents } from "../events/publish";
import type { Tx } from "../shared/context";

export const PRESENCE_CHANGED = "presence.changed";

export type PresenceChange = {
  id: string;
  presence: "OFFLINE" | "ONLINE" | "PAUSED";
  pause_reason: string | null;
  presence_changed_at: Date | string;
};

/** Staff see everyone's status change; the user himself sees his own (another tab, a sweep). */
export async function publishPresenceChanges(tx: Tx, changes: PresenceChange[]): Promise<void> {
  await publishEvents(
    tx,
    changes.map((c) => ({
      kind: PRESENCE_CHANGED,
      audience: { to: "USER" as const, userId: c.id },
      payload: {
        userId: c.id,
        presence: c.presence,
        pauseReason: c.pause_reason,
        changedAt: new Date(c.presence_changed_at).toISOString(),
      },
    })),
  );
}
