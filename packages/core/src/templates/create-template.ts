import { templates } from "@elsehu/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError } from "../shared/errors";
import { isUniqueViolation } from "../shared/pg";
import { checkTemplateInstance } from "./sendable-template";
import { checkVariableNames, templateVariables } from "./template-variables";
import { type TemplateView, templateView } from "./template-view";

/** One Meta template component, as in the send-template fixtures (parameters may hold `{{var}}`). */
export const MetaComponent = z
  .object({
    type: z.enum(["header", "body", "button", "footer"]),
    sub_type: z.string().optional(),
    index: z.union([z.string(), z.number()]).optional(),
    parameters: z.array(z.object({ type: z.string().min(1) }).passthrough()).optional(),
  })
  .passthrough();

export const TemplateFields = z.object({
  name: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(4096),
  /** For Meta numbers: the approved template name, its language and the component parameters. */
  meta: z
    .object({
      name: z
        .string()
        .trim()
        .regex(/^[a-z0-9_]+$/, "use the approved Meta name: lower case, digits and _")
        .max(512),
      language: z
        .string()
        .trim()
        .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "expected a language code such as pt_BR"),
      components: z.array(MetaComponent).max(20).default([]),
    })
    .nullable()
    .default(null),
  /** Inactive: kept (campaigns' history) but offered and sent nowhere. */
  active: z.boolean().default(true),
  /** Only this number may send it (Meta approves templates per account); null: any number. */
  instanceId: z.string().uuid().nullable().default(null),
});

export const CreateTemplateInput = TemplateFields;
export type CreateTemplateInput = z.input<typeof CreateTemplateInput>;

/** The columns a template input becomes, after checking its variables. */
export function templateColumns(fields: z.output<typeof TemplateFields>) {
  const variables = templateVariables(fields.body, fields.meta?.components);
  checkVariableNames(variables);
  return {
    name: fields.name,
    body: fields.body,
    variables,
    metaName: fields.meta?.name ?? null,
    metaLanguage: fields.meta?.language ?? null,
    metaComponents: fields.meta ? fields.meta.components : null,
    active: fields.active,
    instanceId: fields.instanceId,
  };
}

export async function createTemplate(ctx: CoreContext, actor: Actor, raw: CreateTemplateInput): Promise<TemplateView> {
  const input = CreateTemplateInput.parse(raw);
  const values = templateColumns(input);
  try {
    return await ctx.db.transaction(async (tx) => {
      await checkTemplateInstance(tx, values);
      const [row] = await tx
        .insert(templates)
        .values({ ...values, createdAt: ctx.now(), updatedAt: ctx.now() })
        .returning();
      if (!row) throw bug("template insert returned nothing");
      await recordAudit(tx, { actorId: actor.id, action: "template.create", targetType: "template", targetId: row.id });
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
