import { imports } from "@elsehu/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { addJob } from "../jobs/add-job";
import type { Actor, CoreContext } from "../shared/context";
import { bug, DomainError, notFound } from "../shared/errors";
import { ColumnMapping } from "./column-mapping";

/**
 * Records an uploaded CSV as a PENDING contact import. Called by the upload
 * route once the file is stored; the import starts with `startContactImport`.
 */
export async function createContactImport(
  ctx: Pick<CoreContext, "db">,
  actor: Actor,
  input: { fileKey: string; fileName: string },
) {
  const [row] = await ctx.db
    .insert(imports)
    .values({
      kind: "CONTACTS",
      fileKey: input.fileKey,
      fileName: input.fileName.replace(/[^\p{L}\p{N} ._()-]/gu, "_").slice(0, 200) || "contatos.csv",
      createdById: actor.id,
    })
    .returning({ id: imports.id, fileName: imports.fileName, status: imports.status });
  if (!row) throw bug("import insert returned nothing");
  return row;
}

export const StartContactImportInput = z.object({
  importId: z.string().uuid(),
  /** Omitted: guessed from the headers (Portuguese or English). */
  mapping: z
    .object({
      phone: z.string().trim().min(1).max(200),
      name: z.string().trim().min(1).max(200).optional(),
      email: z.string().trim().min(1).max(200).optional(),
      tags: z.string().trim().min(1).max(200).optional(),
    })
    .optional(),
});
export type StartContactImportInput = z.input<typeof StartContactImportInput>;

/** PENDING -> RUNNING and the worker job, in one transaction: an import starts once. */
export async function startContactImport(ctx: Pick<CoreContext, "db">, actor: Actor, raw: StartContactImportInput) {
  const input = StartContactImportInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: "RUNNING", mapping: input.mapping ? ColumnMapping.parse(input.mapping) : null })
      .where(and(eq(imports.id, input.importId), eq(imports.kind, "CONTACTS"), eq(imports.status, "PENDING")))
      .returning({ id: imports.id, status: imports.status });
    if (!row) {
      const [existing] = await tx
        .select({ status: imports.status })
        .from(imports)
        .where(eq(imports.id, input.importId));
      if (!existing) throw notFound("Import");
      throw new DomainError("IMPORT_ALREADY_STARTED", `importId: this import was already started (${existing.status})`);
    }
    await addJob(tx, "contacts/import_csv", { importId: row.id }, { jobKey: `import:${row.id}`, maxAttempts: 10 });
    await recordAudit(tx, { actorId: actor.id, action: "contacts.import", targetType: "import", targetId: row.id });
    return row;
  });
}
