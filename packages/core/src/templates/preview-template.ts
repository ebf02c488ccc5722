import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { TemplateFields, templateColumns } from "./create-template";
import { getTemplate } from "./list-templates";
import { coverage, renderComponents, renderText } from "./template-variables";

export const PreviewTemplateInput = z.object({
  /** An existing template, or an unsaved draft (`draft`) being edited. */
  id: z.string().uuid().optional(),
  draft: TemplateFields.optional(),
  samples: z.record(z.string().min(1).max(64), z.string().max(1024)).default({}),
});
export type PreviewTemplateInput = z.input<typeof PreviewTemplateInput>;

export type TemplatePreview = {
  variables: string[];
  text: string;
  /** What a Meta send would carry as `template.components`, with the samples substituted. */
  metaComponents: unknown[] | null;
};

/** Renders a template with sample values; every variable needs a sample and no sample may be unknown. */
export async function previewTemplate(ctx: CoreContext, raw: PreviewTemplateInput): Promise<TemplatePreview> {
  const input = PreviewTemplateInput.parse(raw);
  let body: string;
  let variables: string[];
  let components: unknown[] | null;
  if (input.draft) {
    const cols = templateColumns(input.draft);
    ({ body, variables } = cols);
    components = cols.metaComponents;
  } else if (input.id) {
    const t = await getTemplate(ctx, input.id);
    ({ body, variables } = t);
    components = t.meta?.components ?? null;
  } else {
    throw new DomainError("TEMPLATE_ID_OR_DRAFT", "Informe id ou draft", { field: "id" });
  }
  checkCoverage(variables, Object.keys(input.samples), "samples");
  return {
    variables,
    text: renderText(body, input.samples),
    metaComponents: components ? renderComponents(components, input.samples) : null,
  };
}

/** One error naming every missing and every unknown variable. */
export function checkCoverage(variables: string[], given: string[], field: string): void {
  const { missing, unknown } = coverage(variables, given);
  if (missing.length === 0 && unknown.length === 0) return;
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`sem origem: ${missing.map((v) => `{{${v}}}`).join(", ")}`);
  if (unknown.length > 0) parts.push(`desconhecidas: ${unknown.map((v) => `{{${v}}}`).join(", ")}`);
  throw new DomainError("VARIABLES_UNCOVERED", `Variáveis ${parts.join("; ")}`, { field, missing, unknown });
}
