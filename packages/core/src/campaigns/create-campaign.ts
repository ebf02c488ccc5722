import { campaigns, serviceInstances, templates } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { checkCoverage } from "../templates/preview-template";
import { templateProblem, unsendable } from "../templates/sendable-template";
import { type CampaignView, campaignView } from "./campaign-view";
import { parseSource } from "./variable-sources";
import { isValidTimeZone } from "./zoned-time";

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (24h)");

export const CampaignAudience = z.discriminatedUnion("kind", [
  /** Recipients come from CSV uploads (POST /uploads/campaign-csv) while the campaign is a draft. */
  z.object({ kind: z.literal("csv") }),
  /** Contacts carrying any (or all) of the tags, snapshotted when the campaign starts. */
  z.object({
    kind: z.literal("contacts"),
    tags: z.array(z.string().trim().min(1).max(64)).min(1).max(50),
    match: z.enum(["any", "all"]).default("any"),
  }),
]);
export type CampaignAudience = z.infer<typeof CampaignAudience>;

export const CreateCampaignInput = z.object({
  name: z.string().trim().min(1).max(120),
  instanceId: z.string().uuid(),
  templateId: z.string().uuid(),
  variableMapping: z.record(z.string().min(1).max(64), z.string().max(256)).default({}),
  audience: CampaignAudience,
  /** Messages per minute; 0 = as fast as the instance's provider limit allows. */
  pacePerMinute: z.number().int().min(0).max(1_000_000).default(60),
  /** Each pace step varies randomly by up to ± this percentage (looks less robotic to WhatsApp). */
  jitterPct: z.number().int().min(0).max(50).default(0),
  window: z.object({ start: HHMM, end: HHMM }).nullable().default(null),
  timezone: z.string().default("America/Sao_Paulo").refine(isValidTimeZone, "unknown IANA time zone"),
  /** Most sends per local day on this campaign's instance, counting every campaign. */
  dailyCap: z.number().int().min(1).max(10_000_000).nullable().default(null),
  startAt: z.coerce.date().nullable().default(null),
});
export type CreateCampaignInput = z.input<typeof CreateCampaignInput>;

/**
 * Creates a DRAFT campaign after checking that every template variable has a source,
 * that no source names an unknown variable, and that CSV sources come with a CSV audience.
 * The pace is capped by the instance's provider limit.
 */
export async function createCampaign(ctx: CoreContext, actor: Actor, raw: CreateCampaignInput): Promise<CampaignView> {
  const input = CreateCampaignInput.parse(raw);
  const [instance] = await ctx.db.select().from(serviceInstances).where(eq(serviceInstances.id, input.instanceId));
  if (!instance) throw new DomainError("INSTANCE_UNKNOWN", "Instância não encontrada", { field: "instanceId" });
  if (!instance.active) throw new DomainError("INSTANCE_DEACTIVATED", "Instância desativada", { field: "instanceId" });
  const [template] = await ctx.db.select().from(templates).where(eq(templates.id, input.templateId));
  if (!template) throw new DomainError("TEMPLATE_UNKNOWN", "Modelo não encontrado", { field: "templateId" });
  const problem = templateProblem(template, instance);
  if (problem) throw unsendable(problem);
  checkCoverage(template.variables, Object.keys(input.variableMapping), "variableMapping");
  for (const [variable, source] of Object.entries(input.variableMapping)) {
    if (parseSource(variable, source).from === "csv" && input.audience.kind !== "csv") {
      throw new DomainError("VARIABLE_NEEDS_CSV", `{{${variable}}} vem do CSV, mas o público não é um CSV`, {
        field: `variableMapping.${variable}`,
        variable,
      });
    }
  }
  const limit = instance.sendRatePerSecond * 60;
  const pace = input.pacePerMinute === 0 ? 0 : Math.min(input.pacePerMinute, limit);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({
        name: input.name,
        instanceId: input.instanceId,
        templateId: input.templateId,
        variableMapping: input.variableMapping,
        audience: input.audience,
        pacePerMinute: pace,
        jitterPct: input.jitterPct,
        windowStart: input.window?.start ?? null,
        windowEnd: input.window?.end ?? null,
        timezone: input.timezone,
        dailyCap: input.dailyCap,
        startAt: input.startAt,
        createdById: actor.id,
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .returning();
    if (!row) throw bug("campaign insert returned nothing");
    await recordAudit(tx, { actorId: actor.id, action: "campaign.create", targetType: "campaign", targetId: row.id });
    return campaignView(row);
  });
}

export async function getCampaignRow(ctx: CoreContext, id: string) {
  const [row] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row) throw notFound("Campaign");
  return row;
}
