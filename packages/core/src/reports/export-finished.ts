import type postgres from "postgres";
import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { parseOrThrow, scopeFilter } from "./filter";
import { FinishedFilter, finishedFrom } from "./finished-query";
import { metricColumns } from "./metrics";

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
const DATE_COLS = ["created_at", "first_assigned_at", "first_response_at", "closed_at"] as const;

/**
 * One CSV cell of free text: quoted when it holds the separator, a quote or a
 * line break; prefixed with ' when it starts like a formula, so a spreadsheet
 * never evaluates it. Built in SQL, like the whole line, so the API only
 * concatenates strings while Postgres works on its own core.
 */
function textCell(x: string, sep: string): string {
  const guarded = `(case when left(${x}, 1) in ('=', '+', '-', '@', E'\\t', E'\\r') then '''' || ${x} else ${x} end)`;
  return `coalesce(case when ${x} ~ '[${sep}"\\r\\n]' then '"' || replace(${guarded}, '"', '""') || '"' else ${guarded} end, '')`;
}

/**
 * The finished-conversations list as CSV text chunks (one per 2,000 rows),
 * read through a server-side cursor on a reserved connection so memory stays
 * flat whatever the size. Plain: comma, ISO-8601 UTC dates, minutes with a
 * dot. Excel (pt-BR): semicolon, UTF-8 BOM, `dd/mm/yyyy HH:MM` in the report
 * timezone, decimal comma.
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
  const u = (s: string) => sql.unsafe(s);
  const m = metricColumns(sql);
  const date = (col: string) =>
    excel
      ? sql`coalesce(to_char(c.${sql(col)} at time zone ${tz}, 'DD/MM/YYYY HH24:MI'), '')`
      : u(`coalesce(to_char(c.${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')`);
  const minutes = (metric: postgres.Fragment) => {
    const v = sql`to_char(round(${metric}::numeric / 60, 2), 'FM9999999990.00')`;
    return sql`coalesce(${excel ? sql`replace(${v}, '.', ',')` : v}, '')`;
  };
  const cells = [
    u("c.id::text"),
    u(excel ? "case c.status when 'CLOSED' then 'Encerrada' else 'Expirada' end" : "c.status::text"),
    u(textCell("ct.name", sep)),
    u("coalesce(ct.phone, '')"),
    u(textCell("u.name", sep)),
    u(textCell("t.name", sep)),
    u(textCell("i.name", sep)),
    ...DATE_COLS.map(date),
    ...[m.waiting, m.handling, m.firstResponse, m.duration].map(minutes),
  ];
  const line = cells.reduce((acc, cell) => sql`${acc} || ${u(`'${sep}'`)} || ${cell}`);
  yield `${excel ? "\uFEFF" : ""}${(excel ? HEADER.excel : HEADER.plain).join(sep)}\r\n`;
  const conn = await sql.reserve();
  try {
    const query = conn`select ${line} as line ${finishedFrom(conn, input, tz, { order: "asc" })}`;
    for await (const rows of query.cursor(2000)) {
      let out = "";
      for (const r of rows) out += `${r.line}\r\n`;
      yield out;
    }
  } finally {
    conn.release();
  }
}
