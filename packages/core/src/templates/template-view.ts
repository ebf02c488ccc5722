import type { templates } from "@elsehu/db";
import { metaStatusProblem } from "./sendable-template";

export type TemplateRow = typeof templates.$inferSelect;

export type TemplateView = {
  id: string;
  name: string;
  body: string;
  variables: string[];
  meta: { name: string; language: string; components: unknown[] } | null;
  active: boolean;
  instanceId: string | null;
  /** Meta's review state of a synced template (APPROVED, PAUSED, REJECTED…), its category and quality. */
  metaStatus: string | null;
  metaCategory: string | null;
  metaQuality: string | null;
  /** Why Meta will not send it now (paused, rejected…), in pt-BR; null when it can be sent. */
  unavailableReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export function templateView(row: TemplateRow): TemplateView {
  return {
    id: row.id,
    name: row.name,
    body: row.body,
    variables: row.variables,
    meta:
      row.metaName && row.metaLanguage
        ? { name: row.metaName, language: row.metaLanguage, components: row.metaComponents ?? [] }
        : null,
    active: row.active,
    instanceId: row.instanceId,
    metaStatus: row.metaStatus,
    metaCategory: row.metaCategory,
    metaQuality: row.metaQuality,
    unavailableReason: metaStatusProblem(row),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
