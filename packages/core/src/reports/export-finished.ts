import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { parseOrThrow, scopeFilter } from "./filter";
import { FinishedFilter, finishedFrom } from "./finished-query";
import { metricSelect } from "./metrics";

export const ExportFinishedInput = FinishedFilter.and(z.object({ excel: z.boolean().default(false) }));
export type ExportFinishedInput = z.input<typeof ExportFinishedInput>;

const HEADER = {
  plain: [
    "conversation_id",
    "status",
    "contact_name",
    "contact_phone",
    "operator",
    "tabulation",
    "instance",
    "created_at",
    "first_assigned_at",
    "first_response_at",
    "closed_at",
    "waiting_min",
    "handling_min",
    "first_response_min",
    "duration_min",
  ],
  excel: [
    "Conversa",
    "Situação",
    "Contato",
    "Telefone",
    "Atendente",
    "Tabulação",
    "Canal",
    "Criada em",
    "Primeira atribuição",
    "Primeira resposta",
    "Encerrada em",
    "Espera (min)",
    "Atendimento (min)",
    "Primeira resposta (min)",
    "Duração (min)",
  ],
};
const STATUS_PT: Record<string, string> = { CLOSED: "Encerrada", EXPIRED: "Expirada" };
const DATE_COLS = ["created_at", "first_assigned_at", "first_response_at", "closed_at"] as const;
const MIN_COLS = ["waiting", "handling", "first_response", "duration"] as const;

/** Quotes when needed; text cells starting like a formula are prefixed with ' so Excel never evaluates them. */
function cell(v: unknown, sep: string, text = false): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (s.includes(sep) || s.includes('"') || s.includes("\n") || s.includes("\r")) s = `"${s.replaceAll('"', '""')}"`;
  return s;
}

/**
 * The finished-conversations list as CSV text chunks (one per 1,000 rows),
 * read through a server-side cursor so memory stays flat whatever the size.
 * Plain: comma, ISO-8601 UTC dates, minutes with a dot. Excel (pt-BR):
 * semicolon, UTF-8 BOM, `dd/mm/yyyy HH:MM` in the report timezone, decimal comma.
 */
export async function* exportFinishedCsv(
  ctx: Pick<CoreContext, "sql" | "config">,
  viewer: Actor,
  raw: ExportFinishedInput,
): AsyncGenerator<string> {
  const input = scopeFilter(viewer, parseOrThrow(ExportFinishedInput, raw));
  const { sql } = ctx;
  const tz = ctx.config.timezone;
  const excel = input.excel;
  const sep = excel ? ";" : ",";
  const fmt = (col: string) =>
    excel
      ? sql`to_char(c.${sql(col)} at time zone ${tz}, 'DD/MM/YYYY HH24:MI') as ${sql(col)}`
      : sql`to_char(c.${sql(col)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ${sql(col)}`;
  const query = sql`select c.id, c.status::text as status, ct.name as contact_name, ct.phone as contact_phone,
      u.name as operator_name, t.name as tabulation_name, i.name as instance_name,
      ${fmt("created_at")}, ${fmt("first_assigned_at")}, ${fmt("first_response_at")}, ${fmt("closed_at")},
      ${metricSelect(sql)}
    ${finishedFrom(sql, input, tz, { order: "asc" })}`;
  yield (excel ? "\uFEFF" : "") + (excel ? HEADER.excel : HEADER.plain).join(sep) + "\r\n";
  for await (const rows of query.cursor(1000)) {
    let out = "";
    for (const r of rows) {
      const cells = [
        r.id,
        excel ? STATUS_PT[String(r.status)] : r.status,
        cell(r.contact_name, sep, true),
        cell(r.contact_phone, sep),
        cell(r.operator_name, sep, true),
        cell(r.tabulation_name, sep, true),
        cell(r.instance_name, sep, true),
        ...DATE_COLS.map((c) => r[c] ?? ""),
        ...MIN_COLS.map((c) => minutes(r[c], excel)),
      ];
      out += `${cells.join(sep)}\r\n`;
    }
    yield out;
  }
}

function minutes(v: unknown, excel: boolean): string {
  if (v === null || v === undefined) return "";
  const s = (Number(v) / 60).toFixed(2);
  return excel ? s.replace(".", ",") : s;
}
