import { campaignRecipients, campaigns } from "@elsehu/db";
import { and, eq, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { type CampaignRow, type CampaignView, campaignView } from "./campaign-view";
import { publishProgress } from "./publish-progress";
import { scheduleTick } from "./schedule-tick";

type Status = CampaignRow["status"];

/**
 * Pause and cancel are a status change: every claim re-checks the status under the
 * campaign row lock, so they take effect before the next pace step. Resume requeues
 * the tick; recipients are claimed in id order, so dispatch continues exactly where
 * it stopped.
 */
async function transition(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  action: "pause" | "resume" | "cancel",
): Promise<CampaignView> {
  const from: Record<typeof action, Status[]> = {
    pause: ["RUNNING", "SCHEDULED"],
    resume: ["PAUSED"],
    cancel: ["DRAFT", "SCHEDULED", "RUNNING", "PAUSED"],
  };
  const now = ctx.now();
  const view = await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, id)).for("update");
    if (!c) throw notFound("Campaign");
    if (!from[action].includes(c.status)) {
      throw new DomainError("CAMPAIGN_STATUS_REFUSED", `Não é possível ${VERB[action]} uma campanha ${c.status}`, {
        status: c.status,
        action,
      });
    }
    let set: Partial<CampaignRow>;
    if (action === "pause") set = { status: "PAUSED" };
    else if (action === "cancel") set = { status: "CANCELLED", finishedAt: now };
    else {
      const later = c.startAt && c.startAt.getTime() > now.getTime() ? c.startAt : null;
      set = { status: later ? "SCHEDULED" : "RUNNING", startedAt: c.startedAt ?? (later ? null : now) };
      set.nextSendAt = later ?? now;
      await scheduleTick(tx, id, later ?? undefined);
    }
    const [row] = await tx
      .update(campaigns)
      .set({ ...set, updatedAt: now })
      .where(eq(campaigns.id, id))
      .returning();
    if (!row) throw notFound("Campaign");
    if (action === "cancel") {
      // Nobody will send to them: say so on each row rather than leave them pending forever.
      await tx
        .update(campaignRecipients)
        .set({ status: "SKIPPED", reason: "cancelled" })
        .where(and(eq(campaignRecipients.campaignId, id), inArray(campaignRecipients.status, ["PENDING"])));
    }
    await recordAudit(tx, { actorId: actor.id, action: `campaign.${action}`, targetType: "campaign", targetId: id });
    return campaignView(row);
  });
  await publishProgress(ctx, id);
  return view;
}

const VERB = { pause: "pausar", resume: "retomar", cancel: "cancelar" } as const;

export const pauseCampaign = (ctx: CoreContext, actor: Actor, id: string) => transition(ctx, actor, id, "pause");
export const resumeCampaign = (ctx: CoreContext, actor: Actor, id: string) => transition(ctx, actor, id, "resume");
export const cancelCampaign = (ctx: CoreContext, actor: Actor, id: string) => transition(ctx, actor, id, "cancel");
