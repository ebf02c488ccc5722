import { connect } from "@elsehu/db";
import { cloneDatabase } from "@elsehu/db/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SingleColumnDecoder } from "../src/shared/copy-decoder";
import { sqlLiteral } from "../src/shared/copy-out";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

let db: Awaited<ReturnType<typeof cloneDatabase>>;
let database: ReturnType<typeof connect>;

beforeAll(async () => {
  db = await cloneDatabase(inject("templateDatabaseUrl"));
  database = connect(db.url, { max: 1 });
});

afterAll(async () => {
  await database?.close();
  await db?.drop();
});

async function copyBytes(select: string): Promise<Buffer> {
  const stream = await database.sql.unsafe(`copy (${select}) to stdout (format binary)`).readable();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("SingleColumnDecoder", () => {
  it("turns Postgres' binary COPY of one text column into its values, whatever the chunk boundaries", async () => {
    const raw = await copyBytes(`select x from (values
      (1, 'a;b' || E'\\r\\n'), (2, ''), (3, null), (4, '"Zé"' || E'\\r\\n'), (5, repeat('é', 40000) || E'\\r\\n')
    ) v(i, x) order by i`);
    const expected = Buffer.from(`a;b\r\n"Zé"\r\n${"é".repeat(40_000)}\r\n`, "utf8");
    for (const size of [1, 2, 5, 6, 19, 20, 1000, 65_536, raw.length]) {
      const decoder = new SingleColumnDecoder();
      const out: Buffer[] = [];
      for (let i = 0; i < raw.length; i += size) decoder.push(raw.subarray(i, i + size), out);
      expect(Buffer.concat(out).equals(expected), `chunks of ${size} bytes`).toBe(true);
      expect(decoder.done).toBe(true);
    }
  });

  it("refuses a stream that is not a binary COPY of one column", async () => {
    const csv = Buffer.from("id,name\r\n1,Ana\r\n".repeat(3));
    expect(() => new SingleColumnDecoder().push(csv, [])).toThrow(/binary COPY/);
    const twoColumns = await copyBytes("select 'a', 'b'");
    expect(() => new SingleColumnDecoder().push(twoColumns, [])).toThrow(/one column/);
  });
});

describe("sqlLiteral", () => {
  it("gives back any text unchanged through Postgres, quotes and backslashes included", async () => {
    const texts = ["2025-03-10", "America/Sao_Paulo", "%silva\\_%", "O'Brien", "\\'); drop table users; --", "Zé"];
    const rows = await database.sql.unsafe(`select ${texts.map((t) => `${sqlLiteral(t)} as "${texts.indexOf(t)}"`)}`);
    expect(Object.values(rows[0] ?? {})).toEqual(texts);
  });
});
