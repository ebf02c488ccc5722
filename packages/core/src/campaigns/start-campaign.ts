import { campaignRecipients, campaigns } from "@elsehu/db";
import { count, eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { type CampaignView, campaignView } from "./campaign-view";
import { CampaignAudience } from "./create-campaign";
import { materializeContactsAudience } from "./materialize-audience";
import { publishProgress } from "./publish-progress";
import { scheduleTick } from "./schedule-tick";

/**
 * DRAFT -> RUNNING (or SCHEDULED until `startAt`). A tag audience is snapshotted
 * now; the first dispatch tick is queued in the same transaction.
 */
export async function startCampaign(ctx: CoreContext, actor: Actor, id: string): Promise<CampaignView> {
  const now = ctx.now();
  const view = await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, id)).for("update");
    if (!c) throw notFound("Campaign");
    if (c.status !== "DRAFT") {
      throw new DomainError("CAMPAIGN_ALREADY_STARTED", `A campanha já foi iniciada (${c.status})`, {
        status: c.status,
      });
    }
    const audience = CampaignAudience.parse(c.audience);
    if (audience.kind === "contacts") {
      await materializeContactsAudience(tx, c.id, audience, c.variableMapping);
    }
    const [total] = await tx
      .select({ n: count() })
      .from(campaignRecipients)
      .where(eq(campaignRecipients.campaignId, c.id));
    if (!total || total.n === 0) {
      throw new DomainError("CAMPAIGN_NO_RECIPIENTS", "A campanha não tem destinatários", { field: "audience" });
    }
    const later = c.startAt && c.startAt.getTime() > now.getTime() ? c.startAt : null;
    const [row] = await tx
      .update(campaigns)
      .set({
        status: later ? "SCHEDULED" : "RUNNING",
        startedAt: later ? null : now,
        nextSendAt: later ?? now,
        updatedAt: now,
      })
      .where(eq(campaigns.id, c.id))
      .returning();
    if (!row) throw notFound("Campaign");
    await scheduleTick(tx, c.id, later ?? undefined);
    await recordAudit(tx, { actorId: actor.id, action: "campaign.start", targetType: "campaign", targetId: c.id });
    return campaignView(row);
  });
  await publishProgress(ctx, id);
  return view;
}
