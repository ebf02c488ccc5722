import { CreateCampaignInput, campaignStats, createCampaign, startCampaign } from "@elsehu/core";
import { z } from "zod";
import { publicRouter, scoped } from "./init";
import { CampaignOut, CampaignStatsOut, plain } from "./schemas";

const write = scoped("campaigns:write");
const tags = ["campaigns"];
const ById = z.object({ id: z.string().uuid() });

export const campaignsRoutes = publicRouter({
  create: write
    .meta({
      openapi: {
        method: "POST",
        path: "/campaigns",
        tags,
        summary: "Create a draft campaign",
        description:
          'Audience by contact tags (`{kind:"contacts",tags:[…]}`); CSV audiences are uploaded in the console.',
      },
    })
    .input(CreateCampaignInput)
    .output(CampaignOut)
    .mutation(async ({ ctx, input }) => plain(await createCampaign(ctx.core, ctx.actor, input)) as never),

  start: write
    .meta({ openapi: { method: "POST", path: "/campaigns/{id}/start", tags, summary: "Start (or schedule) a draft" } })
    .input(ById)
    .output(CampaignOut)
    .mutation(async ({ ctx, input }) => plain(await startCampaign(ctx.core, ctx.actor, input.id)) as never),

  stats: write
    .meta({ openapi: { method: "GET", path: "/campaigns/{id}/stats", tags, summary: "Progress counters" } })
    .input(ById)
    .output(CampaignStatsOut)
    .query(async ({ ctx, input }) => plain(await campaignStats(ctx.core, input.id)) as never),
});
