import { z } from "zod";
import type { Actor, CoreContext } from "../shared/context";
import { copyOutColumn } from "../shared/copy-out";
import { exportSelect } from "./export-query";
import { parseOrThrow, reportStatementTimeoutMs, scopeFilter } from "./filter";
import { FinishedFilter } from "./finished-query";

export const ExportFinishedInput = FinishedFilter.and(z.object({ excel: z.boolean().default(false) }));
export type ExportFinishedInput = z.input<typeof ExportFinishedInput>;

const HEADER = {
  plain: [
    "conversation_id",
    "protocol",
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
    "tags",
    "notes",
    "department",
    "csat",
  ],
  excel: [
    "Conversa",
    "Protocolo",
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
    "Etiquetas",
    "Notas internas",
    "Departamento",
    "Satisfação (1-5)",
  ],
};
/**
 * The finished-conversations list as CSV bytes, oldest close first, streamed
 * from a COPY so the API's memory stays flat whatever the size. Plain: comma,
 * ISO-8601 UTC dates, minutes with a dot. Excel (pt-BR): semicolon, UTF-8 BOM,
 * `dd/mm/yyyy HH:MM` in the report timezone, decimal comma.
 */
export async function* exportFinishedCsv(
  ctx: Pick<CoreContext, "sql" | "config">,
  viewer: Actor,
  raw: ExportFinishedInput,
): AsyncGenerator<Uint8Array> {
  const input = await scopeFilter(ctx, viewer, parseOrThrow(ExportFinishedInput, raw));
  const tz = ctx.config.timezone;
  const excel = input.excel;
  const header = (excel ? HEADER.excel : HEADER.plain).join(excel ? ";" : ",");
  yield Buffer.from(`${excel ? "\uFEFF" : ""}${header}\r\n`, "utf8");
  // The period's lines are sorted in parallel workers: under the default 4 MB each, that sort spills to disk.
  yield* copyOutColumn(ctx.sql, exportSelect(input, tz, excel), {
    TimeZone: excel ? tz : "UTC",
    work_mem: "128MB",
    jit: "off",
    // The COPY lasts as long as the client takes to read it: the export's own, longer limit.
    statement_timeout: String(reportStatementTimeoutMs(ctx.config)),
  });
}
