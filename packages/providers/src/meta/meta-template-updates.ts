/** A `message_template_status_update` or `message_template_quality_update` webhook change. */
export interface MetaTemplateUpdate {
  wabaId: string;
  templateId?: string;
  name?: string;
  /** Normalised to Meta's API form (`pt_BR`, not `pt-BR`). */
  language?: string;
  /** Status events: APPROVED, REJECTED, PAUSED, DISABLED… */
  status?: string;
  reason?: string;
  /** Quality events: GREEN, YELLOW, RED, UNKNOWN */
  quality?: string;
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined;

/**
 * The template changes of a Meta webhook body (they carry no phone number id: they are
 * routed by the WABA id in `entry.id`). Anything else in the body is left to parseMetaWebhook.
 */
export function parseMetaTemplateUpdates(body: unknown): MetaTemplateUpdate[] {
  const entries = (body as { entry?: unknown } | null)?.entry;
  if (!Array.isArray(entries)) return [];
  const updates: MetaTemplateUpdate[] = [];
  for (const entry of entries as Array<{ id?: unknown; changes?: unknown }>) {
    const wabaId = str(entry?.id);
    if (!wabaId || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes as Array<{ field?: unknown; value?: Record<string, unknown> }>) {
      const v = change?.value ?? {};
      if (change?.field !== "message_template_status_update" && change?.field !== "message_template_quality_update")
        continue;
      const update: MetaTemplateUpdate = { wabaId };
      const templateId = str(v.message_template_id);
      if (templateId) update.templateId = templateId;
      const name = str(v.message_template_name);
      if (name) update.name = name;
      const language = str(v.message_template_language);
      if (language) update.language = language.replace("-", "_");
      if (change.field === "message_template_status_update") {
        update.status = str(v.event);
        const info = (v.rejection_info ?? v.other_info) as { reason?: unknown; description?: unknown } | undefined;
        const reason = [str(v.reason), str(info?.reason) ?? str(info?.description)].filter((r) => r && r !== "NONE");
        if (reason.length > 0) update.reason = reason.join(": ");
      } else {
        update.quality = str(v.new_quality_score);
      }
      updates.push(update);
    }
  }
  return updates;
}
