import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeResult } from "./cluster/results";

/**
 * Mutated CSV files through the real path: POST /uploads/contacts-csv, then
 * contacts.import, then the worker's contacts/import_csv. Whatever the bytes, the
 * upload answers 201 or a 4xx, and the import ends COMPLETED or FAILED with a reason,
 * with every row read accounted for (imported + updated + invalid), never stuck RUNNING.
 */

let stack: Stack;
let admin: Awaited<ReturnType<typeof userWithToken>>;
beforeAll(async () => {
  stack = await startStack({ worker: true });
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await stack?.close();
});

let serial = 0;
/** A plausible row; the mutations below break it. */
const row = fc.record({
  name: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("José da Silva", "Ana; Maria", 'Zé "Bigode"')),
  phone: fc.oneof(
    fc.integer({ min: 0, max: 99_999_999 }).map((n) => `(11) 9${String(n).padStart(8, "0")}`),
    fc.constantFrom("+55 61 98765-4321", "5511912345678", "", "abc", "0", "+1 202 555 0101"),
    fc.string({ maxLength: 20 }),
  ),
  city: fc.string({ maxLength: 15 }),
});

type Mutation =
  | { kind: "none" }
  | { kind: "bytes"; at: number; bytes: Uint8Array }
  | { kind: "quote"; at: number }
  | { kind: "delimiter"; to: string }
  | { kind: "huge"; size: number }
  | { kind: "bom" }
  | { kind: "encoding"; to: "win1252" | "utf16le" | "utf16be" }
  | { kind: "truncate"; at: number }
  | { kind: "crlf" }
  | { kind: "noHeader" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: "none" as const }),
  fc.record({
    kind: fc.constant("bytes" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant("quote" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("delimiter" as const), to: fc.constantFrom(",", "\t", "|", ";,") }),
  fc.record({ kind: fc.constant("huge" as const), size: fc.integer({ min: 10_000, max: 300_000 }) }),
  fc.constant({ kind: "bom" as const }),
  fc.record({ kind: fc.constant("encoding" as const), to: fc.constantFrom("win1252", "utf16le", "utf16be") }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.constant({ kind: "crlf" as const }),
  fc.constant({ kind: "noHeader" as const }),
);

/** Windows-1252 (as latin1, what Excel in Brazil writes) or UTF-16 with its BOM. */
function encode(text: string, to: "win1252" | "utf16le" | "utf16be"): Buffer {
  if (to === "win1252") return Buffer.from(text, "latin1");
  const le = Buffer.from(`\uFEFF${text}`, "utf16le");
  return to === "utf16le" ? le : Buffer.from(le).swap16();
}

function build(rows: Array<{ name: string; phone: string; city: string }>, mutations: Mutation[]): Buffer {
  let lines = ["nome;telefone;cidade", ...rows.map((r) => `${r.name};${r.phone};${r.city}`)];
  let text: string;
  const m = new Set(mutations.map((x) => x.kind));
  if (m.has("noHeader")) lines = lines.slice(1);
  text = lines.join(m.has("crlf") ? "\r\n" : "\n");
  for (const x of mutations) {
    if (x.kind === "quote") {
      const at = x.at % (text.length + 1);
      text = `${text.slice(0, at)}"${text.slice(at)}`;
    } else if (x.kind === "delimiter") {
      let i = 0;
      text = text.replace(/;/g, () => (x.to === ";," ? (i++ % 2 ? "," : ";") : x.to));
    } else if (x.kind === "huge") {
      text = `${text}\nGrande;${"9".repeat(x.size)};${"x".repeat(x.size)}`;
    }
  }
  let bytes: Buffer = Buffer.from(text, "utf8");
  for (const x of mutations) {
    if (x.kind === "bytes") {
      const at = x.at % (bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(x.bytes), bytes.subarray(at)]);
    } else if (x.kind === "truncate") {
      bytes = bytes.subarray(0, x.at % (bytes.length + 1));
    } else if (x.kind === "encoding") {
      bytes = encode(bytes.toString("utf8"), x.to);
    } else if (x.kind === "bom") {
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    }
  }
  return bytes;
}

type Outcome = {
  upload: number;
  status?: string;
  error?: string | null;
  rowsRead?: number;
  imported?: number;
  updated?: number;
  invalid?: number;
  errorRows?: number;
  contactsAdded?: number;
};

async function contacts(): Promise<number> {
  const [r] = await stack.core.sql<{ n: number }[]>`select count(*)::int as n from contacts`;
  return r?.n ?? 0;
}

async function importOnce(bytes: Buffer): Promise<Outcome> {
  serial++;
  const before = await contacts();
  const res = await fetch(`${stack.url}/uploads/contacts-csv?name=fuzz-${serial}.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "text/csv" },
    body: bytes,
  });
  const answer = (await res.json()) as { importId?: string };
  if (res.status !== 201 || !answer.importId) return { upload: res.status };
  await admin.client.contacts.import.mutate({ importId: answer.importId });
  const end = Date.now() + 20_000;
  let s = await admin.client.contacts.importStatus.query({ id: answer.importId });
  while ((s.status === "RUNNING" || s.status === "PENDING") && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 40));
    s = await admin.client.contacts.importStatus.query({ id: answer.importId });
  }
  const [e] = await stack.core.sql<{ n: number }[]>`
    select count(*)::int as n from import_errors where import_id = ${answer.importId}`;
  return {
    upload: res.status,
    status: s.status,
    error: s.error,
    rowsRead: s.rowsRead,
    imported: s.imported,
    updated: s.updated,
    invalid: s.invalid,
    errorRows: e?.n ?? 0,
    contactsAdded: (await contacts()) - before,
  };
}

/** The broken promises of one outcome (empty when it is fine). */
function violations(o: Outcome): string[] {
  const out: string[] = [];
  if (o.upload >= 500) out.push(`upload answered ${o.upload}`);
  if (o.upload !== 201) return out;
  if (o.status !== "COMPLETED" && o.status !== "FAILED") out.push(`import left ${o.status}`);
  if (o.status === "FAILED" && !o.error) out.push("FAILED without a reason");
  if ((o.rowsRead ?? 0) !== (o.imported ?? 0) + (o.updated ?? 0) + (o.invalid ?? 0)) out.push("rows not accounted for");
  if (o.errorRows !== o.invalid) out.push(`invalid ${o.invalid} but ${o.errorRows} error rows`);
  if (o.contactsAdded !== o.imported) out.push(`imported ${o.imported} but ${o.contactsAdded} new contacts`);
  return out;
}

describe("CSV importer fuzzing (real upload + import path)", () => {
  it("ends every mutated file COMPLETED or FAILED with a reason, every row accounted for, never a 500", async () => {
    const tally = { runs: 0, completed: 0, failed: 0, refusedAtUpload: 0, rowsRead: 0 };
    const bad: Array<{ outcome: Outcome; problems: string[] }> = [];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(row, { minLength: 0, maxLength: 40 }),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          async (rows, mutations) => {
            const o = await importOnce(build(rows, mutations));
            tally.runs++;
            if (o.upload !== 201) tally.refusedAtUpload++;
            else if (o.status === "COMPLETED") tally.completed++;
            else if (o.status === "FAILED") tally.failed++;
            tally.rowsRead += o.rowsRead ?? 0;
            const problems = violations(o);
            if (problems.length > 0) bad.push({ outcome: o, problems });
            expect(problems).toEqual([]);
          },
        ),
        { numRuns: 120, interruptAfterTimeLimit: 40_000, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
      );
    } finally {
      writeResult({
        scenario: "fuzz-csv-import",
        title: "CSV importer with mutated files (fast-check, real upload + import)",
        promise:
          "COMPLETED or FAILED with a reason; read = imported + updated + invalid; never a 500 or a stuck import",
        lost: 0,
        duplicated: 0,
        recoveryMs: null,
        violations: bad.length,
        details: { ...tally, calls: tally.runs, examples: bad.slice(0, 3) },
      });
    }
    expect(tally.completed).toBeGreaterThan(0);
    // 11 to 40 s in CI, by seed and load.
  }, 180_000);

  it("fails an import with a field over 64 KB naming its line, keeping the rows before it (none after are silently lost)", async () => {
    const text = `nome;telefone;cidade\nAntes;11987650001;x\nGrande;${"9".repeat(131_058)};y\nDepois;11987650002;z\n`;
    const o = await importOnce(Buffer.from(text));
    expect(o).toMatchObject({ upload: 201, status: "FAILED", rowsRead: 1, imported: 1, invalid: 0 });
    expect(o.error).toMatch(/line 3 is longer than 64 KB/);
  });
});
