import { campaigns, serviceInstances, templates } from "@elsehu/db";
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { containsPattern } from "../shared/like";
import { sendableOn } from "./sendable-template";
import { type TemplateView, templateView } from "./template-view";

export const ListTemplatesInput = z
  .object({
    search: z.string().trim().max(120).optional(),
    /** Only the templates this number may send (a conversation's `instanceId`): see `templateProblem`. */
    sendableOn: z.string().uuid().optional(),
  })
  .default({});
export type ListTemplatesInput = z.input<typeof ListTemplatesInput>;

/** Templates are few (tens): the list is not paginated. */
export async function listTemplates(ctx: CoreContext, raw: ListTemplatesInput = {}): Promise<TemplateView[]> {
  const input = ListTemplatesInput.parse(raw);
  let sendable: SQL | undefined;
  if (input.sendableOn) {
    const [instance] = await ctx.db
      .select({ id: serviceInstances.id, provider: serviceInstances.provider })
      .from(serviceInstances)
      .where(eq(serviceInstances.id, input.sendableOn));
    if (!instance) throw new DomainError("INSTANCE_UNKNOWN", "Número não encontrado", { field: "sendableOn" });
    sendable = sendableOn(instance);
  }
  const search = input.search ? sql`${templates.name} ilike ${containsPattern(input.search)}` : undefined;
  const rows = await ctx.db.select().from(templates).where(and(search, sendable)).orderBy(asc(templates.name));
  return rows.map(templateView);
}

export async function getTemplate(ctx: CoreContext, id: string): Promise<TemplateView> {
  const [row] = await ctx.db.select().from(templates).where(eq(templates.id, id));
  if (!row) throw notFound("Template");
  return templateView(row);
}

/** Refused while any campaign references it: recipients' history must keep its text. */
export async function deleteTemplate(ctx: CoreContext, actor: Actor, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [used] = await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.templateId, id)).limit(1);
    if (used) throw new DomainError("TEMPLATE_IN_USE", "O modelo é usado por campanhas", { campaignId: used.id });
    const deleted = await tx.delete(templates).where(eq(templates.id, id)).returning({ id: templates.id });
    if (deleted.length === 0) throw notFound("Template");
    await recordAudit(tx, { actorId: actor.id, action: "template.delete", targetType: "template", targetId: id });
  });
}
