import type { TemplateInput } from "@elsehu/providers";
import { z } from "zod";

/**
 * `messages.content.template` of a template message: what the provider gets,
 * rendered when the message is queued, so editing or deactivating the template
 * afterwards never changes a message already in the chat or its retries.
 * Parsed at send time (jobs and rows outlive code versions).
 */
export const TemplateContent = z.object({
  templateId: z.string(),
  /** Our name of the template, for the history. */
  templateName: z.string(),
  /** Meta's approved name (our name when the template has none: Evolution ignores it). */
  name: z.string(),
  language: z.string(),
  components: z.array(z.unknown()).optional(),
  values: z.record(z.string(), z.string()),
});
export type TemplateContent = z.infer<typeof TemplateContent>;

/** The adapter input of a stored template message; Evolution sends `renderedBody` as text. */
export function templateInputOf(content: Record<string, unknown> | null, body: string | null): TemplateInput {
  const t = TemplateContent.parse(content?.template);
  return { name: t.name, language: t.language, components: t.components, renderedBody: body ?? undefined };
}
