import type { campaigns } from "@elsehu/db";

export type CampaignRow = typeof campaigns.$inferSelect;

export type CampaignView = {
  id: string;
  name: string;
  instanceId: string;
  templateId: string;
  status: CampaignRow["status"];
  variableMapping: Record<string, string>;
  audience: Record<string, unknown>;
  /** 0 = as fast as the instance's provider limit allows. */
  pacePerMinute: number;
  jitterPct: number;
  window: { start: string; end: string } | null;
  timezone: string;
  dailyCap: number | null;
  startAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
};

export function campaignView(row: CampaignRow): CampaignView {
  return {
    id: row.id,
    name: row.name,
    instanceId: row.instanceId,
    templateId: row.templateId,
    status: row.status,
    variableMapping: row.variableMapping,
    audience: row.audience,
    pacePerMinute: row.pacePerMinute,
    jitterPct: row.jitterPct,
    window: row.windowStart && row.windowEnd ? { start: row.windowStart, end: row.windowEnd } : null,
    timezone: row.timezone,
    dailyCap: row.dailyCap,
    startAt: row.startAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
  };
}
