import { templates } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { DomainError } from "../shared/errors";
import { templateProblem, unsendable } from "../templates/sendable-template";
import { coverage, templateInput } from "../templates/template-variables";
import {
  checkOneTarget,
  ONE_TARGET,
  queueOutbound,
  SendTargetFields,
  targetOf,
  type WithinSend,
} from "./queue-message";
import type { TemplateContent } from "./template-content";

export const SendTemplateInput = z.object({
  conversationId: z.string().uuid(),
  templateId: z.string().uuid(),
  /** One value per template variable, by name: `{{1}}` → "1", `{{nome}}` → "nome". */
  variables: z.record(z.string().min(1).max(64), z.string().trim().max(1024)).default({}),
  /** A message of the same conversation this template answers (quoted by WhatsApp). */
  replyToId: z.string().uuid().optional(),
});
export type SendTemplateInput = z.input<typeof SendTemplateInput>;
/** `messages.sendTemplate` addressed to a conversation or to a phone (the public API's form). */
export const SendTemplateToInput = SendTemplateInput.extend(SendTargetFields).refine(checkOneTarget, ONE_TARGET);
export type SendTemplateToInput = z.input<typeof SendTemplateToInput>;

/** Every variable needs a non-blank value (Meta refuses empty parameters) and none may be unknown. */
function checkValues(variables: string[], values: Record<string, string>): void {
  const filled = Object.keys(values).filter((k) => values[k] !== "");
  const { missing } = coverage(variables, filled);
  const { unknown } = coverage(variables, Object.keys(values));
  if (missing.length === 0 && unknown.length === 0) return;
  const list = (names: string[]) => names.map((v) => `{{${v}}}`).join(", ");
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`preencha ${list(missing)}`);
  if (unknown.length > 0) parts.push(`o modelo não tem ${list(unknown)}`);
  throw new DomainError("TEMPLATE_VALUES_MISSING", `Variáveis do modelo: ${parts.join("; ")}`, {
    field: "variables",
    missing,
    unknown,
  });
}

/**
 * Queues an approved template in a conversation: the one message Meta accepts
 * outside the 24-hour customer window, so the window does not apply here; every
 * other check of `messages.send` does (same access rules, open conversation,
 * active number, a reply only to a message of the same conversation). The template must be sendable on the conversation's number
 * (`templateProblem`) and every variable filled. The message stores the rendered
 * text (the chat history) and, in `content.template`, what the provider gets.
 */
export async function queueTemplateMessage(
  ctx: CoreContext,
  actor: Actor,
  raw: SendTemplateToInput,
  opts: { within?: WithinSend } = {},
) {
  const input = SendTemplateToInput.parse(raw);
  return queueOutbound(
    ctx,
    actor,
    targetOf(input),
    async (tx, { instance }) => {
      const [template] = await tx.select().from(templates).where(eq(templates.id, input.templateId));
      if (!template) throw new DomainError("TEMPLATE_UNKNOWN", "Modelo não encontrado", { field: "templateId" });
      const problem = templateProblem(template, instance);
      if (problem) throw unsendable(problem);
      checkValues(template.variables, input.variables);
      const rendered = templateInput(template, input.variables);
      const content: TemplateContent = {
        templateId: template.id,
        templateName: template.name,
        name: rendered.name,
        language: rendered.language,
        components: rendered.components,
        values: input.variables,
      };
      return {
        type: "template",
        body: rendered.renderedBody ?? template.body,
        media: null,
        replyToId: input.replyToId,
        content: { template: content },
      };
    },
    { template: true, within: opts.within },
  );
}
