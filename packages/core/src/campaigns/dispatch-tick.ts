import { templates } from "@elsehu/db";
import type { ProviderAdapter } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { bug } from "../shared/errors";
import { writeThroughOutage } from "../shared/through-outage";
import type { TemplateRow } from "../templates/template-view";
import { claimRecipients } from "./claim-recipients";
import { type InstanceSettingsRow, providerFromRow } from "./provider-for-instance";
import { ProgressThrottle, publishProgress } from "./publish-progress";
import { recordOutcomes } from "./record-outcomes";
import { type Outcome, sendToRecipient } from "./send-to-recipient";

export type DispatchOptions = {
  /** Recipients claimed per tick at unlimited pace (one per tick otherwise). */
  maxBatch?: number;
  /** Provider calls in flight at once within a batch. */
  concurrency?: number;
  random?: () => number;
  throttle?: ProgressThrottle;
  /** Tests and benchmarks may inject an adapter; otherwise built from the instance row. */
  adapterFor?: (instance: InstanceSettingsRow) => ProviderAdapter;
};

export type TickResult = {
  /** When the next tick should run; null when the campaign needs no more ticks. */
  nextRunAt: Date | null;
  state: "sent" | "wait" | "stopped" | "completed";
  reason?: string;
  outcomes: Outcome[];
};

const defaultThrottle = new ProgressThrottle();

/**
 * One dispatch step of a campaign: claim (and commit) -> provider calls -> record.
 * Safe to run concurrently with itself; see claimRecipients for the invariants.
 */
export async function dispatchTick(
  ctx: CoreContext,
  campaignId: string,
  opts: DispatchOptions = {},
): Promise<TickResult> {
  const throttle = opts.throttle ?? defaultThrottle;
  const claim = await claimRecipients(ctx, campaignId, {
    maxBatch: opts.maxBatch ?? 50,
    random: opts.random ?? Math.random,
  });
  if (claim.kind === "completed" || claim.kind === "stopped") {
    if (claim.kind === "completed") await publishProgress(ctx, campaignId);
    return { nextRunAt: null, state: claim.kind, outcomes: [] };
  }
  if (claim.kind === "wait") return { nextRunAt: claim.until, state: "wait", reason: claim.reason, outcomes: [] };

  let outcomes: Outcome[];
  try {
    const [template] = await ctx.db.select().from(templates).where(eq(templates.id, claim.campaign.templateId));
    if (!template) throw bug("campaign template vanished");
    const adapter = (opts.adapterFor ?? ((row) => providerFromRow(ctx, row)))(claim.instance);
    outcomes = await sendAll(adapter, template, claim.recipients, opts.concurrency ?? 8);
  } catch (err) {
    // Failed before any call (credentials, template): nothing left the building; retry later.
    ctx.log.error({ err, campaignId }, "campaign dispatch could not start provider calls");
    outcomes = claim.recipients.map((r) => ({
      id: r.id,
      status: "PENDING" as const,
      code: "SETUP",
      reason: "could not prepare the send",
      retryAfterMs: 30_000,
    }));
  }
  // The provider has answered: a Postgres restart now must not turn SENT into UNKNOWN.
  await writeThroughOutage(ctx, "campaign outcomes", () => recordOutcomes(ctx, campaignId, outcomes));
  if (throttle.due(campaignId, Date.now())) await publishProgress(ctx, campaignId);
  return { nextRunAt: claim.next, state: "sent", outcomes };
}

async function sendAll(
  adapter: ProviderAdapter,
  template: TemplateRow,
  recipients: { id: string; phone: string; variables: Record<string, string> }[],
  concurrency: number,
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < recipients.length; i = next++) {
      const r = recipients[i];
      if (r) out.push(await sendToRecipient(adapter, template, r));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, recipients.length) }, lane));
  return out;
}
