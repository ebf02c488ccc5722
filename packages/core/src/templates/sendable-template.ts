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
type TemplateProblem = "TEMPLATE_INACTIVE" | "TEMPLATE_OTHER_NUMBER" | "META_NAME_REQUIRED" | "TEMPLATE_NOT_APPROVED";

const PROBLEM_TEXT: Record<TemplateProblem, string> = {
  TEMPLATE_INACTIVE: "O modelo está desativado",
  TEMPLATE_OTHER_NUMBER: "O modelo é de outro número",
  META_NAME_REQUIRED: "Números Meta só enviam modelos aprovados: informe o nome Meta do modelo",
  TEMPLATE_NOT_APPROVED: "The template is not approved at Meta (paused, rejected or under review)",
};

const META_STATUS: Record<string, string> = {
  PENDING: "em análise",
  REJECTED: "rejeitado",
  PAUSED: "pausado",
  DISABLED: "desativado",
  PENDING_DELETION: "em exclusão",
  DELETED: "excluído",
  FLAGGED: "sinalizado",
  IN_APPEAL: "em recurso",
  LIMIT_EXCEEDED: "acima do limite",
  LOCKED: "bloqueado",
  ARCHIVED: "arquivado",
};

/** Why Meta will not send it (status other than APPROVED), in the console's words, or null. */
export function metaStatusProblem(template: Pick<TemplateRow, "metaStatus" | "metaStatusReason">): string | null {
  if (!template.metaStatus || template.metaStatus === "APPROVED") return null;
  const state = META_STATUS[template.metaStatus] ?? template.metaStatus.toLowerCase();
  const why = template.metaStatusReason ? ` (${template.metaStatusReason})` : "";
  return `O modelo está ${state} na Meta${why}: só modelos aprovados podem ser enviados`;
}

/** The error for a template `templateProblem` refused. */
export const unsendable = (problem: TemplateProblem) =>
  new DomainError(problem, PROBLEM_TEXT[problem], { field: "templateId" });

export function templateProblem(
  template: Pick<TemplateRow, "active" | "instanceId" | "metaName" | "metaStatus" | "metaStatusReason">,
  instance: Instance,
): TemplateProblem | null {
  if (!template.active) return "TEMPLATE_INACTIVE";
  if (template.instanceId && template.instanceId !== instance.id) return "TEMPLATE_OTHER_NUMBER";
  if (instance.provider === "META" && !template.metaName) return "META_NAME_REQUIRED";
  if (instance.provider === "META" && metaStatusProblem(template)) return "TEMPLATE_NOT_APPROVED";
  return null;
}

/** The same rule as a filter on `templates`, for listing what a number may send. */
export function sendableOn(instance: Instance): SQL | undefined {
  return and(
    eq(templates.active, true),
    or(isNull(templates.instanceId), eq(templates.instanceId, instance.id)),
    instance.provider === "META" ? isNotNull(templates.metaName) : undefined,
    instance.provider === "META" ? or(isNull(templates.metaStatus), eq(templates.metaStatus, "APPROVED")) : undefined,
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
