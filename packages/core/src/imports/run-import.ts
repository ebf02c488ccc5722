import { imports } from "@elsehu/db";
import { eq } from "drizzle-orm";
import type { EventPayloads } from "../events/catalog";
import type { CoreContext } from "../shared/context";
import { bug } from "../shared/errors";
import { storageOf } from "../storage/storage";
import { ColumnMapping, guessMapping, resolveColumns } from "./column-mapping";
import { type CsvUnit, estimateRows, ImportFileError, MAX_RECORD_BYTES, readUnits, sniffFile } from "./csv-source";
import { type Columns, type PreparedRow, prepareRow, type RejectedRow, withoutNul } from "./prepare-row";
import { insertErrors, publishProgress, upsertContacts } from "./write-batch";

export type RunImportOptions = { batchSize?: number; progressEveryMs?: number };
type ImportRow = typeof imports.$inferSelect;

/**
 * Runs (or resumes) a contact import. Each batch commits its contacts, its
 * error rows, the counters and `checkpoint_rows` (units of the file done) in one
 * transaction, so a run that dies is resumed by the next one right after the last
 * committed batch: nothing is counted or written twice.
 */
export async function runContactImport(ctx: CoreContext, importId: string, opts: RunImportOptions = {}) {
  const [job] = await ctx.db.select().from(imports).where(eq(imports.id, importId));
  if (job?.status !== "RUNNING") return;
  const storage = storageOf(ctx);
  if (!job.startedAt) await ctx.db.update(imports).set({ startedAt: ctx.now() }).where(eq(imports.id, importId));
  let columns: Columns;
  let units: AsyncGenerator<CsvUnit>;
  try {
    const format = await sniffFile(storage, job.fileKey);
    units = readUnits(storage, job.fileKey, format);
    const header = await units.next();
    if (header.done || !("fields" in header.value)) throw new ImportFileError("the file has no header row");
    columns = await mappingFor(ctx, job, header.value.fields);
    if (job.totalRows === null) {
      const total = await estimateRows(storage, job.fileKey);
      await ctx.db.update(imports).set({ totalRows: total }).where(eq(imports.id, importId));
    }
  } catch (err) {
    if (err instanceof ImportFileError) return fail(ctx, importId, err.message);
    throw err;
  }

  const batchSize = opts.batchSize ?? 1_000;
  const every = opts.progressEveryMs ?? 300;
  let lastPublish = 0;
  let rows: PreparedRow[] = [];
  let errors: RejectedRow[] = [];
  let lastOrdinal = job.checkpointRows;
  let fatal: string | null = null;
  let existingSeen = true;

  /**
   * Commits one batch: its contacts, error rows, counters and checkpoint together. It waits for
   * `previous` (the batch before it) to commit before it moves the checkpoint, so batches commit
   * in file order even though several are written at once.
   */
  const writeBatch = (batch: Batch, previous: Promise<void>) =>
    ctx.sql.begin(async (tx) => {
      // In one round trip:
      // - a larger GIN pending list merges trigram entries in fewer, bigger passes during bulk writes;
      // - no wait for the WAL flush: a batch and its checkpoint commit (or vanish) together, so a
      //   database crash only makes the next run redo the lost batches;
      // - the wait for the previous batch is invisible to Postgres' deadlock detector: a lock cycle
      //   through it (with another writer of the same contacts) ends at the lock timeout, and the
      //   job is retried from the checkpoint.
      await tx`select set_config('gin_pending_list_limit', '65536', true), set_config('synchronous_commit', 'off', true),
        set_config('lock_timeout', '20s', true)`;
      // Looking the keys up first only pays off while existing contacts keep turning up.
      const r = await upsertContacts(tx, batch.rows, { probe: existingSeen });
      existingSeen = r.sawExisting;
      await insertErrors(tx, importId, batch.errors);
      await previous;
      const n = batch.rows.length + batch.errors.length;
      const [c] = await tx<ImportCounters[]>`
        update imports set rows_read = rows_read + ${n}, imported = imported + ${r.imported},
          updated = updated + ${r.updated}, invalid = invalid + ${batch.errors.length}, checkpoint_rows = ${batch.upTo}
        where id = ${importId} and status = 'RUNNING' and checkpoint_rows = ${batch.from}
        returning status, rows_read, imported, updated, invalid, total_rows`;
      // Another run moved the checkpoint (a job unlocked while still running): roll back, count nothing twice.
      if (!c) throw bug(`import ${importId} advanced by another run; this run stops`);
      if (batch.publish) await publishProgress(tx, progressPayload(importId, c));
    });

  // Up to IN_FLIGHT batches are written at once, so the database works on both cores while the
  // next batch is parsed. A batch sharing a contact with one in flight waits for it (each would
  // hold a row the other needs).
  const inflight: { done: Promise<void> }[] = [];
  // Contacts of the batches in flight, counted by batch: a new batch looks each of its keys up once.
  const inflightKeys = new Map<string, number>();
  let lastCommit: Promise<void> = Promise.resolve();
  let launchedUpTo = job.checkpointRows;
  let failure: Error | null = null;
  const drainOne = async () => {
    await inflight.shift()?.done;
    if (failure) throw failure;
  };
  const drainAll = async () => {
    await Promise.all(inflight.map((f) => f.done));
    inflight.length = 0;
    if (failure) throw failure;
  };
  const launch = async () => {
    if (rows.length + errors.length === 0) return;
    const publish = Date.now() - lastPublish >= every;
    if (publish) lastPublish = Date.now();
    const batch: Batch = { rows, errors, upTo: lastOrdinal, from: launchedUpTo, publish };
    rows = [];
    errors = [];
    launchedUpTo = batch.upTo;
    const keys = new Set(batch.rows.map((r) => r.key));
    while (inflight.length >= IN_FLIGHT || (inflight.length > 0 && sharesAny(inflightKeys, keys))) await drainOne();
    for (const k of keys) inflightKeys.set(k, (inflightKeys.get(k) ?? 0) + 1);
    const commit = writeBatch(batch, lastCommit).then(() => undefined);
    lastCommit = commit;
    inflight.push({
      done: commit
        .catch((err: unknown) => {
          failure ??= err instanceof Error ? err : new Error(String(err));
        })
        .finally(() => {
          for (const k of keys) {
            const n = inflightKeys.get(k) ?? 0;
            if (n <= 1) inflightKeys.delete(k);
            else inflightKeys.set(k, n - 1);
          }
        }),
    });
  };

  try {
    for await (const unit of units) {
      if (unit.ordinal <= job.checkpointRows) continue;
      lastOrdinal = unit.ordinal;
      if ("skipped" in unit) {
        if (unit.code === "CSV_QUOTE_NOT_CLOSED") {
          fatal = `a quoted field is never closed (a " opened after line ${lastLine(rows, errors, unit.line)}): the rest of the file could not be read`;
          break;
        }
        // After an oversized record csv-parse keeps skipping every following chunk of the file
        // (the rows after it were silently lost): stop and say why instead.
        if (unit.code === "CSV_MAX_RECORD_SIZE") {
          fatal = `line ${unit.line} is longer than ${MAX_RECORD_BYTES / 1024} KB (wrong delimiter or an unclosed quote?): the rest of the file could not be read`;
          break;
        }
        errors.push({ line: unit.line, value: withoutNul(unit.skipped), reason: "malformed CSV row (quoting)" });
      } else {
        const r = prepareRow(unit.fields, unit.line, columns, ctx.config.defaultRegion);
        if ("reason" in r) errors.push(r);
        else rows.push(r);
      }
      if (rows.length + errors.length >= batchSize) await launch();
    }
    // Good rows before a fatal problem are kept: write them, then fail with the reason.
    await launch();
    await drainAll();
  } catch (err) {
    // Never leave a batch writing behind: the retry must find its outcome settled.
    await Promise.all(inflight.map((f) => f.done));
    throw err;
  }
  if (fatal) return fail(ctx, importId, fatal);
  const ended = await ctx.sql.begin(async (tx) => {
    const [c] = await tx<(ImportCounters & Ended)[]>`
      update imports set status = 'COMPLETED', total_rows = rows_read, finished_at = now()
      where id = ${importId} and status = 'RUNNING'
      returning status, rows_read, imported, updated, invalid, total_rows, file_key, erase_file_when_done`;
    if (c) await publishProgress(tx, progressPayload(importId, c));
    return c;
  });
  await eraseFileIfAsked(ctx, ended);
}

type Ended = { file_key: string; erase_file_when_done: boolean };

/** A contact erased while this import ran: its file (which may name him) goes now it has ended. */
async function eraseFileIfAsked(ctx: CoreContext, ended: Ended | undefined): Promise<void> {
  if (ended?.erase_file_when_done) await storageOf(ctx).remove(ended.file_key);
}

/**
 * Batches written at once, each on a connection of its own. Beyond two, the others keep the
 * database busy while one merges the trigram index's pending list (half a second at times);
 * measured best at four on two cores, and it leaves the worker's other tasks most of the pool.
 */
const IN_FLIGHT = 4;

type Batch = { rows: PreparedRow[]; errors: RejectedRow[]; from: number; upTo: number; publish: boolean };

function sharesAny(inFlight: Map<string, number>, keys: Set<string>): boolean {
  for (const k of keys) if (inFlight.has(k)) return true;
  return false;
}

type ImportCounters = {
  status: EventPayloads["import.progress"]["status"];
  rows_read: number;
  imported: number;
  updated: number;
  invalid: number;
  total_rows: number | null;
};

function progressPayload(importId: string, c: ImportCounters, error?: string) {
  return {
    importId,
    status: c.status,
    rowsRead: c.rows_read,
    imported: c.imported,
    updated: c.updated,
    invalid: c.invalid,
    totalRows: c.total_rows,
    ...(error ? { error } : {}),
  };
}

function lastLine(rows: PreparedRow[], errors: RejectedRow[], fallback: number): number {
  return Math.max(rows[rows.length - 1]?.line ?? 0, errors[errors.length - 1]?.line ?? 0) || fallback;
}

async function mappingFor(ctx: CoreContext, job: ImportRow, headers: string[]): Promise<Columns> {
  const clean = headers.map((h) => h.trim());
  const given = job.mapping ? ColumnMapping.safeParse(job.mapping) : null;
  const mapping = given?.success ? given.data : { ...guessMapping(clean), ...(job.mapping ?? {}) };
  const listed = clean.filter(Boolean).slice(0, 20).join(", ");
  if (!mapping.phone) throw new ImportFileError(`no phone column found (columns: ${listed})`);
  for (const [field, h] of Object.entries(mapping)) {
    if (h !== undefined && !clean.includes(h)) {
      throw new ImportFileError(`column "${h}" mapped to ${field} is not in the file (columns: ${listed})`);
    }
  }
  const parsed = ColumnMapping.parse(mapping);
  if (!given?.success) await ctx.db.update(imports).set({ mapping: parsed }).where(eq(imports.id, job.id));
  return resolveColumns(clean, parsed);
}

async function fail(ctx: CoreContext, importId: string, reason: string): Promise<void> {
  const ended = await ctx.sql.begin(async (tx) => {
    const [c] = await tx<(ImportCounters & Ended)[]>`
      update imports set status = 'FAILED', error = ${reason}, finished_at = now()
      where id = ${importId} and status = 'RUNNING'
      returning status, rows_read, imported, updated, invalid, total_rows, file_key, erase_file_when_done`;
    if (c) await publishProgress(tx, progressPayload(importId, c, reason));
    return c;
  });
  await eraseFileIfAsked(ctx, ended);
}
