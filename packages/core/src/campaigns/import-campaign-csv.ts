import { randomUUID } from "node:crypto";
import { campaignRecipients, campaigns, contacts, importErrors, imports } from "@elsehu/db";
import { normalizePhone } from "@elsehu/providers";
import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor, CoreContext, Tx } from "../shared/context";
import { DomainError, notFound } from "../shared/errors";
import { readCampaignCsv } from "./campaign-csv-parser";
import { CampaignAudience } from "./create-campaign";
import { csvColumns, resolveValues } from "./variable-sources";

const PHONE_COLUMNS = ["phone", "telefone", "celular", "whatsapp", "numero", "número", "fone"];
const NAME_COLUMNS = ["name", "nome"];
const BATCH = 500;

export type CampaignCsvResult = {
  importId: string;
  rowsRead: number;
  imported: number;
  invalid: number;
  errors: { line: number; value: string | null; reason: string }[];
};

type Good = { line: number; e164: string; key: string; name: string | null; row: Record<string, string> };
type Bad = { line: number; value: string | null; reason: string };

/**
 * Adds the recipients of an uploaded CSV to a DRAFT campaign. Streams the file; bad
 * rows (invalid phone, repeated phone) go to the import's error report with their
 * line number while good rows become recipients and contacts (upserted by phone key).
 * One transaction: a file refused midway (too large, missing column) writes nothing.
 */
export async function importCampaignCsv(
  ctx: CoreContext,
  actor: Actor,
  input: {
    campaignId: string;
    fileName: string;
    body: AsyncIterable<Uint8Array>;
    maxBytes: number;
    phoneColumn?: string;
  },
): Promise<CampaignCsvResult> {
  return ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, input.campaignId)).for("update");
    if (!c) throw notFound("Campaign");
    if (c.status !== "DRAFT") throw new DomainError("CAMPAIGN_NOT_DRAFT", "Só é possível enviar lista a um rascunho");
    if (CampaignAudience.parse(c.audience).kind !== "csv") {
      throw new DomainError(
        "CAMPAIGN_AUDIENCE_NOT_CSV",
        "O público desta campanha é um filtro de contatos, não um CSV",
      );
    }
    const importId = randomUUID();
    await tx.insert(imports).values({
      id: importId,
      kind: "CAMPAIGN",
      campaignId: c.id,
      status: "RUNNING",
      fileKey: `campaign-csv/${c.id}/${importId}`,
      fileName: input.fileName,
      mapping: c.variableMapping,
      createdById: actor.id,
      startedAt: ctx.now(),
    });
    const result: CampaignCsvResult = { importId, rowsRead: 0, imported: 0, invalid: 0, errors: [] };
    const seen = new Set<string>();
    let phoneColumn = "";
    let nameColumn: string | undefined;
    let good: Good[] = [];
    let bad: Bad[] = [];
    const flush = async () => {
      result.imported += await insertRecipients(tx, ctx.now(), c.id, c.variableMapping, good);
      if (bad.length > 0) await tx.insert(importErrors).values(bad.map((b) => ({ importId, ...b })));
      result.invalid += bad.length;
      if (result.errors.length < 20) result.errors.push(...bad.slice(0, 20 - result.errors.length));
      good = [];
      bad = [];
    };
    for await (const item of readCampaignCsv(input.body, input.maxBytes)) {
      if ("header" in item) {
        const wanted = input.phoneColumn?.toLowerCase();
        phoneColumn =
          (wanted ? item.header.find((h) => h === wanted) : undefined) ??
          item.header.find((h) => PHONE_COLUMNS.includes(h)) ??
          "";
        nameColumn = item.header.find((h) => NAME_COLUMNS.includes(h));
        const missing = csvColumns(c.variableMapping).filter((col) => !item.header.includes(col));
        if (!phoneColumn) missing.unshift(wanted ?? "telefone");
        if (missing.length > 0) {
          throw new DomainError("CSV_COLUMNS_MISSING", `Colunas ausentes no CSV: ${missing.join(", ")}`, {
            field: "file",
            missing,
          });
        }
        continue;
      }
      result.rowsRead++;
      const raw = item.row[phoneColumn] ?? "";
      const phone = normalizePhone(raw, ctx.config.defaultRegion as "BR");
      if (!phone) bad.push({ line: item.line, value: raw.slice(0, 64) || null, reason: "telefone inválido" });
      else if (seen.has(phone.key)) bad.push({ line: item.line, value: raw.slice(0, 64), reason: "telefone repetido" });
      else {
        seen.add(phone.key);
        const name = nameColumn ? item.row[nameColumn] || null : null;
        good.push({ line: item.line, e164: phone.e164, key: phone.key, name, row: item.row });
      }
      if (good.length + bad.length >= BATCH) await flush();
    }
    await flush();
    await tx
      .update(imports)
      .set({
        status: "COMPLETED",
        totalRows: result.rowsRead,
        rowsRead: result.rowsRead,
        checkpointRows: result.rowsRead,
        imported: result.imported,
        invalid: result.invalid,
        finishedAt: ctx.now(),
      })
      .where(eq(imports.id, importId));
    await recordAudit(tx, {
      actorId: actor.id,
      action: "campaign.import_csv",
      targetType: "campaign",
      targetId: c.id,
      data: { importId, rowsRead: result.rowsRead, imported: result.imported, invalid: result.invalid },
    });
    return result;
  });
}

const searchText = (name: string | null, digits: string) =>
  `${(name ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()} ${digits}`.trim();

/** Upserts the contacts (keeping existing names) and adds the recipients; returns how many were new. */
async function insertRecipients(tx: Tx, now: Date, campaignId: string, mapping: Record<string, string>, good: Good[]) {
  if (good.length === 0) return 0;
  const saved = await tx
    .insert(contacts)
    .values(good.map((g) => ({ phone: g.e164, phoneKey: g.key, name: g.name, searchText: searchText(g.name, g.key) })))
    .onConflictDoUpdate({
      target: contacts.phoneKey,
      set: { name: sql`coalesce(${contacts.name}, excluded.name)`, updatedAt: now },
    })
    .returning();
  const byKey = new Map(saved.map((s) => [s.phoneKey, s]));
  const inserted = await tx
    .insert(campaignRecipients)
    .values(
      good.map((g) => {
        const contact = byKey.get(g.key);
        return {
          campaignId,
          contactId: contact?.id ?? null,
          phone: g.e164,
          variables: resolveValues(mapping, {
            csv: g.row,
            contact: contact
              ? { name: contact.name, email: contact.email, phone: contact.phone, customFields: contact.customFields }
              : undefined,
          }),
        };
      }),
    )
    .onConflictDoNothing()
    .returning({ id: campaignRecipients.id });
  return inserted.length;
}
