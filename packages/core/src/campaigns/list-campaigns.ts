import { campaigns } from "@elsehu/db";
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { type CampaignView, campaignView } from "./campaign-view";
import { getCampaignRow } from "./create-campaign";

export const ListCampaignsInput = z
  .object({
    status: z.enum(["DRAFT", "SCHEDULED", "RUNNING", "PAUSED", "COMPLETED", "CANCELLED"]).optional(),
    /** createdAt of the last item of the previous page. */
    cursor: z.coerce.date().nullish(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .default({ limit: 50 });
export type ListCampaignsInput = z.input<typeof ListCampaignsInput>;

export async function listCampaigns(ctx: CoreContext, raw: ListCampaignsInput = {}) {
  const input = ListCampaignsInput.parse(raw);
  const rows = await ctx.db
    .select()
    .from(campaigns)
    .where(
      and(
        input.status ? eq(campaigns.status, input.status) : undefined,
        input.cursor ? lt(campaigns.createdAt, input.cursor) : undefined,
      ),
    )
    .orderBy(desc(campaigns.createdAt))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(campaignView);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.createdAt ?? null) : null };
}

export async function getCampaign(ctx: CoreContext, id: string): Promise<CampaignView> {
  return campaignView(await getCampaignRow(ctx, id));
}
