import { httpClient, phones } from "@elsehu/testing";
import type { Cluster } from "./harness";

/**
 * A META campaign made the way an admin makes it: template and campaign through
 * tRPC, audience as a CSV upload. The instance row points at the simulator.
 */
export async function campaignThroughApi(opts: {
  apiUrl: string;
  token: string;
  instanceId: string;
  recipients: number;
  offset: number;
  pacePerMinute: number;
}) {
  const admin = httpClient(opts.apiUrl, opts.token);
  const suffix = Math.random().toString(36).slice(2, 7);
  const template = await admin.templates.create.mutate({
    name: `Aviso ${suffix}`,
    body: "Olá {{nome}}, seu pedido saiu para entrega.",
    meta: {
      name: "pedido_saiu",
      language: "pt_BR",
      components: [{ type: "body", parameters: [{ type: "text", parameter_name: "nome", text: "{{nome}}" }] }],
    },
  });
  const campaign = await admin.campaigns.create.mutate({
    name: `Campanha ${suffix}`,
    instanceId: opts.instanceId,
    templateId: template.id,
    variableMapping: { nome: "csv:nome" },
    audience: { kind: "csv" },
    pacePerMinute: opts.pacePerMinute,
  });
  const list = phones(opts.recipients, opts.offset);
  const csv = `telefone;nome\n${list.map((p, i) => `${p};Cliente ${i}`).join("\n")}\n`;
  const res = await fetch(`${opts.apiUrl}/uploads/campaign-csv?campaignId=${campaign.id}&fileName=lista.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${opts.token}`, "content-type": "text/csv" },
    body: csv,
  });
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  const report = (await res.json()) as { imported: number };
  if (report.imported !== list.length) throw new Error(`imported ${report.imported} of ${list.length}`);
  return { campaignId: campaign.id, phones: list, admin };
}

export const TERMINAL = ["SENT", "DELIVERED", "READ", "FAILED", "SKIPPED", "UNKNOWN"];

/**
 * The campaign's outcome against the simulator's record: a recipient is lost when
 * it is not in a terminal state (or missing), duplicated when the provider got it twice.
 */
export async function campaignOutcome(cluster: Cluster, campaignId: string, expected: string[]) {
  const rows = await cluster.core.sql<{ phone: string; status: string; reason: string | null }[]>`
    select phone, status, reason from campaign_recipients where campaign_id = ${campaignId} order by id`;
  const sentTo = cluster.sim.sentMessages().map((m) => `+${m.to}`);
  const ours = new Set(expected);
  const mine = sentTo.filter((p) => ours.has(p));
  const counts = new Map<string, number>();
  for (const p of mine) counts.set(p, (counts.get(p) ?? 0) + 1);
  const duplicated = [...counts.values()].reduce((n, c) => n + (c - 1), 0);
  const byPhone = new Map(rows.map((r) => [r.phone, r]));
  const lost = expected.filter((p) => !TERMINAL.includes(byPhone.get(p)?.status ?? "MISSING")).length;
  const sentRows = rows.filter((r) => ["SENT", "DELIVERED", "READ"].includes(r.status)).map((r) => r.phone);
  // Marked sent but never reached the provider: a lie in the table.
  const phantom = sentRows.filter((p) => !counts.has(p)).length;
  // Reached the provider but the table says otherwise (and not UNKNOWN, which admits the doubt).
  const unrecorded = [...counts.keys()].filter(
    (p) => !["SENT", "DELIVERED", "READ", "UNKNOWN"].includes(byPhone.get(p)?.status ?? ""),
  ).length;
  const statuses: Record<string, number> = {};
  for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    rows,
    sentTo: mine,
    duplicated,
    lost,
    phantom,
    unrecorded,
    statuses,
    unknown: rows.filter((r) => r.status === "UNKNOWN"),
  };
}
