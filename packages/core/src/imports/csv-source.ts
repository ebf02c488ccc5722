import type { Readable, Transform } from "node:stream";
import { type CsvError, type Options, Parser } from "csv-parse";
import iconv from "iconv-lite";
import type { Storage } from "../storage/storage";

/** A file that cannot be imported at all; `message` is the reason shown to the user. */
export class ImportFileError extends Error {}

export type FileFormat = { encoding: "utf8" | "win1252" | "utf16le" | "utf16be"; delimiter: string };

/** One unit of the file in order: a record, or a record the parser had to skip. */
export type CsvUnit =
  | { ordinal: number; line: number; fields: string[] }
  | { ordinal: number; line: number; skipped: string; code: string };

const SAMPLE = 64 * 1024;
/** Longest record the parser accepts; csv-parse cannot resync after a longer one. */
export const MAX_RECORD_BYTES = 64 * 1024;

async function head(storage: Storage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of storage.open(key)) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= SAMPLE) break;
  }
  return Buffer.concat(chunks).subarray(0, SAMPLE);
}

/** Drops a multi-byte UTF-8 sequence cut by the end of the sample. */
function completeUtf8(buf: Buffer): Buffer {
  let i = buf.length - 1;
  let back = 0;
  while (i >= 0 && back < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? buf.subarray(0, i) : buf;
}

/**
 * Encoding (BOM, else valid UTF-8, else Windows-1252 as Excel writes it in
 * Brazil) and delimiter (the most frequent of ; , tab | in the header line,
 * outside quotes). Binary and empty files are refused with a reason.
 */
export async function sniffFile(storage: Storage, key: string): Promise<FileFormat> {
  const sample = await head(storage, key);
  let encoding: FileFormat["encoding"];
  if (sample[0] === 0xff && sample[1] === 0xfe) encoding = "utf16le";
  else if (sample[0] === 0xfe && sample[1] === 0xff) encoding = "utf16be";
  else {
    if (sample.subarray(0, 4).toString("latin1") === "PK\u0003\u0004") {
      throw new ImportFileError("the file is a ZIP/Excel workbook (.xlsx), not a CSV: save it as CSV and upload again");
    }
    if (sample.includes(0)) throw new ImportFileError("the file is binary, not a CSV text file");
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(completeUtf8(sample));
      encoding = "utf8";
    } catch {
      encoding = "win1252";
    }
  }
  const text = iconv.decode(sample, encoding).replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new ImportFileError("the file is empty");
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 9 || (code > 13 && code < 32)) controls++;
  }
  if (controls > text.length / 100) throw new ImportFileError("the file is binary, not a CSV text file");
  return { encoding, delimiter: guessDelimiter(text) };
}

function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [";", 0],
    [",", 0],
    ["\t", 0],
    ["|", 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ",";
  let max = 0;
  for (const [d, n] of counts) if (n > max) [best, max] = [d, n];
  return best;
}

/**
 * The stored file for the parser: UTF-8 as it is (the parser decodes each field from its
 * bytes and strips a BOM; decoding whole chunks first only made it encode them back), other
 * encodings decoded to text.
 */
function decoded(storage: Storage, key: string, format: FileFormat): Readable {
  // Small reads: fields sliced from a decoded chunk keep it alive, and a chunk of 64K characters or
  // more lives in V8's large-object space until a full GC (it made the worker's peak RSS).
  const raw = storage.open(key, { chunkBytes: 16 * 1024 });
  if (format.encoding === "utf8") return raw;
  return raw.pipe(iconv.decodeStream(format.encoding, { stripBOM: true }) as unknown as Transform);
}

/**
 * csv-parse's parser, handing out each record as a unit with its ordinal and
 * line. (Its `on_record` hook would do the same, but builds a large info object
 * for every record: a tenth of an import's CPU.) Records are pushed right after
 * they are parsed, so `info.lines` is the record's last line.
 */
class UnitParser extends Parser {
  ordinal = -1;
  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    return super.push({ ordinal: ++this.ordinal, line: this.info.lines, fields: record as string[] });
  }
}

/**
 * Streams the file's units in file order (header included, ordinal 0).
 * Ordinals count records and skipped records alike, so they are stable across
 * runs: an import resumes after the last ordinal it committed.
 */
export async function* readUnits(storage: Storage, key: string, format: FileFormat): AsyncGenerator<CsvUnit> {
  const skipped: CsvUnit[] = [];
  const options: Options = {
    delimiter: format.delimiter,
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      skipped.push({
        ordinal: ++parser.ordinal,
        line: Number((err as { lines?: number } | undefined)?.lines ?? 0),
        skipped: (raw ?? "").slice(0, 200),
        code: err?.code ?? "CSV_INVALID",
      });
      return undefined;
    },
  };
  const parser = new UnitParser(options);
  const source = decoded(storage, key, format);
  source.on("error", (err) => parser.destroy(err));
  source.pipe(parser);
  for await (const unit of parser as AsyncIterable<CsvUnit>) {
    // Skips happened before this record was parsed: hand them out first, in order.
    while (skipped.length > 0 && (skipped[0]?.ordinal ?? 0) < unit.ordinal) yield skipped.shift() as CsvUnit;
    yield unit;
  }
  while (skipped.length > 0) yield skipped.shift() as CsvUnit;
}

/** Estimated number of data rows (newlines minus the header), for progress "of total". */
export async function estimateRows(storage: Storage, key: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of storage.open(key)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) lines++;
    last = buf[buf.length - 1] ?? last;
  }
  if (last !== 10) lines++;
  return Math.max(0, lines - 1);
}
