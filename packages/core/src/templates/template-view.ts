import type { templates } from "@elsehu/db";

export type TemplateRow = typeof templates.$inferSelect;

export type TemplateView = {
  id: string;
  name: string;
  body: string;
  variables: string[];
  meta: { name: string; language: string; components: unknown[] } | null;
  active: boolean;
  instanceId: string | null;
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
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
