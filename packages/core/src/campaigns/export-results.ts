import type { CoreContext } from "../shared/context";
import { guardFormula } from "../shared/csv-guard";
import { getCampaignRow } from "./create-campaign";

const HEADER = [
  "telefone",
  "status",
  "motivo",
  "codigo_erro",
  "id_mensagem",
  "tentativa_em",
  "enviado_em",
  "entregue_em",
  "lido_em",
  "respondido_em",
];

/** RFC 4180 quoting; a cell that starts like a formula is neutralised (guardFormula) so spreadsheets show it as text. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = guardFormula(value instanceof Date ? value.toISOString() : String(value));
  return /[",\r\n;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The results CSV of a campaign, streamed in chunks of rows through a cursor, so a
 * million recipients never sit in memory.
 */
export async function* exportResultsCsv(ctx: CoreContext, campaignId: string): AsyncGenerator<string> {
  await getCampaignRow(ctx, campaignId);
  yield `\uFEFF${HEADER.join(",")}\r\n`;
  const cursor = ctx.sql`
    select phone, status, reason, error_code, provider_message_id, attempted_at, sent_at, delivered_at, read_at, replied_at
    from campaign_recipients where campaign_id = ${campaignId} order by id`.cursor(1000);
  for await (const rows of cursor) {
    yield rows
      .map((r) =>
        [
          r.phone,
          r.status,
          r.reason,
          r.error_code,
          r.provider_message_id,
          r.attempted_at,
          r.sent_at,
          r.delivered_at,
          r.read_at,
          r.replied_at,
        ]
          .map(csvCell)
          .join(","),
      )
      .join("\r\n")
      .concat("\r\n");
  }
}
