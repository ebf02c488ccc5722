import { importErrors, imports } from "@elsehu/db";
import { and, asc, desc, eq, gt, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { CoreContext } from "../shared/context";
import { guardFormula } from "../shared/csv-guard";
import { notFound } from "../shared/errors";

type ImportRow = typeof imports.$inferSelect;

/** What the API shows of an import: counters, status and failure reason; never the storage key. */
export function publicImport(row: ImportRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    fileName: row.fileName,
    mapping: row.mapping,
    totalRows: row.totalRows,
    rowsRead: row.rowsRead,
    imported: row.imported,
    updated: row.updated,
    invalid: row.invalid,
    error: row.error,
    createdById: row.createdById,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export async function getImport(ctx: Pick<CoreContext, "db">, id: string) {
  const [row] = await ctx.db.select().from(imports).where(eq(imports.id, id));
  if (!row) throw notFound("Import");
  return publicImport(row);
}

export const ListImportsInput = z.object({
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListImportsInput = z.input<typeof ListImportsInput>;

export async function listImports(ctx: Pick<CoreContext, "db">, raw: ListImportsInput) {
  const input = ListImportsInput.parse(raw);
  const where: SQL[] = [eq(imports.kind, "CONTACTS")];
  if (input.cursor) where.push(lt(imports.id, input.cursor));
  const rows = await ctx.db
    .select()
    .from(imports)
    .where(and(...where))
    .orderBy(desc(imports.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(publicImport),
    nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

const cell = (v: string | number | null) => {
  const s = String(v ?? "");
  // Quote always; a cell that starts like a formula is neutralised so spreadsheets show it as text.
  return `"${guardFormula(s).replace(/"/g, '""')}"`;
};

/** The error report as CSV text chunks (line, value, reason), read in pages: never all in memory. */
export async function* errorReportCsv(ctx: Pick<CoreContext, "db">, importId: string): AsyncGenerator<string> {
  await getImport(ctx, importId);
  yield "\uFEFFline;value;reason\r\n";
  let after = 0;
  for (;;) {
    const page = await ctx.db
      .select({ line: importErrors.line, value: importErrors.value, reason: importErrors.reason })
      .from(importErrors)
      .where(and(eq(importErrors.importId, importId), gt(importErrors.line, after)))
      .orderBy(asc(importErrors.line))
      .limit(5000);
    if (page.length === 0) return;
    yield page.map((e) => `${e.line};${cell(e.value)};${cell(e.reason)}\r\n`).join("");
    after = page[page.length - 1]?.line ?? after;
  }
}
