import { addJob } from "../jobs/add-job";
import type { Tx } from "../shared/context";

/** The job key of a campaign's dispatch tick (prefix + campaign id): one waiting tick per campaign. */
export const TICK_KEY_PREFIX = "campaign_tick:";
export const tickJobKey = (campaignId: string) => `${TICK_KEY_PREFIX}${campaignId}`;

/**
 * (Re)schedules a campaign's dispatch tick. One job key per campaign keeps the
 * queue to one waiting tick; a tick that runs twice anyway (graphile job keys
 * allow it while one is running) is harmless: claiming is row-locked and the
 * pace is enforced by the atomic `campaigns.next_send_at` update.
 */
export async function scheduleTick(tx: Tx, campaignId: string, runAt?: Date): Promise<void> {
  await addJob(
    tx,
    "campaigns/dispatch_tick",
    { campaignId },
    { jobKey: tickJobKey(campaignId), jobKeyMode: "replace", runAt, maxAttempts: 25 },
  );
}
