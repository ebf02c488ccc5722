import { serviceInstances, templates } from "@elsehu/db";
import { and, eq, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { DomainError } from "../shared/errors";
import type { TemplateRow } from "./template-view";

type Instance = { id: string; provider: "META" | "EVOLUTION" };

/**
 * Why `template` cannot go out on `instance`, or null. One rule for the chat
 * (messages.sendTemplate), campaigns and the pickers: an active template, meant
 * for every number or for this one, and approved at Meta when the number is
 * Meta's (Meta only sends templates by their approved name; Evolution sends the
 * rendered text of any template).
 */
type TemplateProblem = "TEMPLATE_INACTIVE" | "TEMPLATE_OTHER_NUMBER" | "META_NAME_REQUIRED";

const PROBLEM_TEXT: Record<TemplateProblem, string> = {
  TEMPLATE_INACTIVE: "O modelo está desativado",
  TEMPLATE_OTHER_NUMBER: "O modelo é de outro número",
  META_NAME_REQUIRED: "Números Meta só enviam modelos aprovados: informe o nome Meta do modelo",
};

/** The error for a template `templateProblem` refused. */
export const unsendable = (problem: TemplateProblem) =>
  new DomainError(problem, PROBLEM_TEXT[problem], { field: "templateId" });

export function templateProblem(
  template: Pick<TemplateRow, "active" | "instanceId" | "metaName">,
  instance: Instance,
): TemplateProblem | null {
  if (!template.active) return "TEMPLATE_INACTIVE";
  if (template.instanceId && template.instanceId !== instance.id) return "TEMPLATE_OTHER_NUMBER";
  if (instance.provider === "META" && !template.metaName) return "META_NAME_REQUIRED";
  return null;
}

/** The same rule as a filter on `templates`, for listing what a number may send. */
export function sendableOn(instance: Instance): SQL | undefined {
  return and(
    eq(templates.active, true),
    or(isNull(templates.instanceId), eq(templates.instanceId, instance.id)),
    instance.provider === "META" ? isNotNull(templates.metaName) : undefined,
  );
}

/**
 * A template tied to a number: the number must exist, and a Meta number's
 * template must carry its approved Meta name (else nothing could ever send it).
 */
export async function checkTemplateInstance(
  tx: Tx,
  values: { instanceId: string | null; metaName: string | null },
): Promise<void> {
  if (!values.instanceId) return;
  const [instance] = await tx
    .select({ provider: serviceInstances.provider })
    .from(serviceInstances)
    .where(eq(serviceInstances.id, values.instanceId));
  if (!instance) throw new DomainError("INSTANCE_UNKNOWN", "Número não encontrado", { field: "instanceId" });
  if (instance.provider === "META" && !values.metaName) {
    throw new DomainError("META_NAME_REQUIRED", "Modelos de um número Meta precisam do nome aprovado na Meta", {
      field: "meta.name",
    });
  }
}
