import { campaigns, templates } from "@elsehu/db";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { TemplateFields, templateColumns } from "./create-template";
import { checkTemplateInstance } from "./sendable-template";
import { type TemplateView, templateView } from "./template-view";

export const UpdateTemplateInput = TemplateFields.extend({ id: z.string().uuid() });
export type UpdateTemplateInput = z.input<typeof UpdateTemplateInput>;

/** Campaigns that are sending (or about to) pin their template: editing it mid-run would mix two texts. */
const PINNING = ["SCHEDULED", "RUNNING", "PAUSED"] as const;

export async function updateTemplate(ctx: CoreContext, actor: Actor, raw: UpdateTemplateInput): Promise<TemplateView> {
  const input = UpdateTemplateInput.parse(raw);
  const values = templateColumns(input);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [busy] = await tx
        .select({ id: campaigns.id, name: campaigns.name })
        .from(campaigns)
        .where(and(eq(campaigns.templateId, input.id), inArray(campaigns.status, [...PINNING])))
        .limit(1);
      if (busy) {
        throw new DomainError("TEMPLATE_IN_USE", `O modelo está em uso pela campanha "${busy.name}"`, {
          campaignId: busy.id,
          campaign: busy.name,
        });
      }
      await checkTemplateInstance(tx, values);
      const [row] = await tx
        .update(templates)
        .set({ ...values, updatedAt: ctx.now() })
        .where(eq(templates.id, input.id))
        .returning();
      if (!row) throw notFound("Template");
      await recordAudit(tx, { actorId: actor.id, action: "template.update", targetType: "template", targetId: row.id });
      return templateView(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new DomainError("TEMPLATE_NAME_TAKEN", `Já existe um modelo chamado "${input.name}"`, {
        field: "name",
      });
    }
    throw err;
  }
}
