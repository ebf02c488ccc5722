import {
  CAMPAIGN_PROGRESS,
  CreateCampaignInput,
  campaignStats,
  cancelCampaign,
  createCampaign,
  getCampaign,
  ListCampaignsInput,
  ListRecipientsInput,
  listCampaigns,
  listRecipients,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
} from "@elsehu/core";
import { tracked } from "@trpc/server";
import { z } from "zod";
import { streamEvents } from "../realtime/hub";
import { adminProcedure, router, staffProcedure } from "../trpc/init";

const ById = z.object({ id: z.string().uuid() });

/** Campaigns: admins create and control them; supervisors watch. */
export const campaignsRouter = router({
  list: staffProcedure.input(ListCampaignsInput).query(({ ctx, input }) => listCampaigns(ctx.core, input)),
  get: staffProcedure.input(ById).query(({ ctx, input }) => getCampaign(ctx.core, input.id)),
  stats: staffProcedure.input(ById).query(({ ctx, input }) => campaignStats(ctx.core, input.id)),
  recipients: staffProcedure.input(ListRecipientsInput).query(({ ctx, input }) => listRecipients(ctx.core, input)),

  create: adminProcedure
    .input(CreateCampaignInput)
    .mutation(({ ctx, input }) => createCampaign(ctx.core, ctx.user, input)),
  start: adminProcedure.input(ById).mutation(({ ctx, input }) => startCampaign(ctx.core, ctx.user, input.id)),
  pause: adminProcedure.input(ById).mutation(({ ctx, input }) => pauseCampaign(ctx.core, ctx.user, input.id)),
  resume: adminProcedure.input(ById).mutation(({ ctx, input }) => resumeCampaign(ctx.core, ctx.user, input.id)),
  cancel: adminProcedure.input(ById).mutation(({ ctx, input }) => cancelCampaign(ctx.core, ctx.user, input.id)),

  /** Live counters (`campaign.progress`), at most a few per second per campaign; resumable by lastEventId. */
  onProgress: staffProcedure
    .input(z.object({ campaignId: z.string().uuid().optional(), lastEventId: z.string().nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const last = input.lastEventId ? Number(input.lastEventId) : null;
      for await (const e of streamEvents(ctx.hub, ctx.core, ctx.user, {
        lastEventId: Number.isFinite(last) ? last : null,
        signal,
        kind: CAMPAIGN_PROGRESS,
        filter: (ev) => !input.campaignId || ev.payload.campaignId === input.campaignId,
      })) {
        yield tracked(String(e.id), e.payload);
      }
    }),
});
