import { campaignRecipients } from "@elsehu/db";
import { and, asc, eq, gt, isNotNull } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { getCampaignRow } from "./create-campaign";

export const RecipientStatus = z.enum([
  "PENDING",
  "SENDING",
  "SENT",
  "DELIVERED",
  "READ",
  "FAILED",
  "SKIPPED",
  "UNKNOWN",
]);

export const ListRecipientsInput = z.object({
  campaignId: z.string().uuid(),
  status: RecipientStatus.optional(),
  replied: z.boolean().optional(),
  cursor: z.number().int().nullish(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ListRecipientsInput = z.input<typeof ListRecipientsInput>;

export type RecipientView = Omit<typeof campaignRecipients.$inferSelect, "campaignId">;

/** Per-recipient list, in dispatch order (id), with a keyset cursor. */
export async function listRecipients(ctx: CoreContext, raw: ListRecipientsInput) {
  const input = ListRecipientsInput.parse(raw);
  await getCampaignRow(ctx, input.campaignId);
  const rows = await ctx.db
    .select()
    .from(campaignRecipients)
    .where(
      and(
        eq(campaignRecipients.campaignId, input.campaignId),
        input.status ? eq(campaignRecipients.status, input.status) : undefined,
        input.replied ? isNotNull(campaignRecipients.repliedAt) : undefined,
        input.cursor ? gt(campaignRecipients.id, input.cursor) : undefined,
      ),
    )
    .orderBy(asc(campaignRecipients.id))
    .limit(input.limit + 1);
  const items: RecipientView[] = rows.slice(0, input.limit).map(({ campaignId: _c, ...r }) => r);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
