import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { DomainError } from "../shared/errors";

/**
 * Minimal streaming CSV reader for campaign audiences, kept apart so the contacts
 * import parser can replace it. Sniffs `;` vs `,` on the header line (Brazilian
 * spreadsheets export `;`), strips a BOM, refuses input beyond `maxBytes` while
 * streaming, and yields each data row keyed by lower-cased header with its line number.
 */
export async function* readCampaignCsv(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<{ header: string[] } | { line: number; row: Record<string, string> }> {
  let bytes = 0;
  const limited = async function* () {
    for await (const chunk of source) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        const maxMb = Math.round(maxBytes / 1024 / 1024);
        throw new DomainError("FILE_TOO_LARGE", `Arquivo maior que ${maxMb} MB`, {
          field: "file",
          kind: "csv",
          maxMb,
          tooLarge: true,
        });
      }
      yield chunk;
    }
  };
  const iterator = limited()[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new DomainError("CSV_EMPTY", "Arquivo CSV vazio", { field: "file" });
  const head = Buffer.from(first.value).toString("utf8").split(/\r?\n/)[0] ?? "";
  const delimiter = (head.match(/;/g)?.length ?? 0) > (head.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rest = async function* () {
    yield first.value;
    for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value;
  };
  const parser = Readable.from(rest()).pipe(
    parse({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  let header: string[] | null = null;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = item.record.map((h) => h.trim().toLowerCase());
      yield { header };
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      row[h] = item.record[i] ?? "";
    });
    yield { line: item.info.lines, row };
  }
  if (!header) throw new DomainError("CSV_NO_HEADER", "Arquivo CSV sem cabeçalho", { field: "file" });
}
