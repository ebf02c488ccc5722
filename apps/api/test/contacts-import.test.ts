import { type Stack, startStack, userWithToken, wsClient } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";

// Node 20 has no global WebSocket; the tRPC ws client needs one.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

let stack: Stack;
let admin: Awaited<ReturnType<typeof userWithToken>>;
beforeAll(async () => {
  stack = await startStack({ api: { uploadLimitMb: 1 } });
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await stack.close();
});

async function upload(body: RequestInit["body"], opts: { name?: string; token?: string; type?: string } = {}) {
  const q = opts.name ? `?name=${encodeURIComponent(opts.name)}` : "";
  return fetch(`${stack.url}/uploads/contacts-csv${q}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${opts.token ?? admin.token}`,
      ...(opts.type ? { "content-type": opts.type } : {}),
    },
    body,
  });
}

async function importFile(body: RequestInit["body"], mapping?: { phone: string; name?: string }) {
  const res = await upload(body, { name: "lista.csv", type: "text/csv" });
  expect(res.status).toBe(201);
  const { importId } = (await res.json()) as { importId: string };
  await admin.client.contacts.import.mutate({ importId, mapping });
  return importId;
}

async function finished(importId: string) {
  for (let i = 0; i < 300; i++) {
    const s = await admin.client.contacts.importStatus.query({ id: importId });
    if (s.status === "COMPLETED" || s.status === "FAILED") return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("import did not finish");
}

describe("CSV import", () => {
  it("decodes Windows-1252's 0x80–0x9F bytes: euro, curly quotes, dashes, ellipsis", async () => {
    // Excel in Brazil writes these as single bytes that Latin-1 would read as control characters.
    const cp1252: Record<string, number> = { "€": 0x80, "„": 0x84, "…": 0x85, "‘": 0x91, "’": 0x92 };
    Object.assign(cp1252, { "“": 0x93, "”": 0x94, "–": 0x96, "—": 0x97, "™": 0x99, š: 0x9a, œ: 0x9c });
    const encode = (text: string) =>
      Buffer.from([...text].map((ch) => cp1252[ch] ?? (ch.charCodeAt(0) < 0x100 ? ch.charCodeAt(0) : 0x3f)));
    const name = "Conceição “Ceça” D’Ávila – Sócia";
    const note = "Pagou €1.250 — à vista… „ok‘ ™ šœ";
    const bytes = encode(["Nome;Celular;Observação", `${name};(11) 97654-1252;${note}`].join("\r\n"));
    for (const b of [0x80, 0x84, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9a, 0x9c]) {
      expect(bytes.includes(b)).toBe(true);
    }
    const done = await finished(await importFile(bytes));
    expect(done).toMatchObject({ status: "COMPLETED", rowsRead: 1, imported: 1, invalid: 0 });
    const found = await admin.client.contacts.list.query({ search: "+5511976541252" });
    expect(found.items[0]).toMatchObject({ name, phone: "+5511976541252" });
    expect(found.items[0]?.customFields).toEqual({ Observação: note });
  });

  it("imports a messy Windows-1252 semicolon file, dedupes, and reports bad rows with line numbers", async () => {
    const existing = await admin.client.contacts.create.mutate({ phone: "+55 11 98888-0000", email: "ja@existe.com" });
    const csv = [
      "Nome;Celular;E-mail;Etiquetas;Cidade",
      "João Ávila;(11) 98765-4321;joao@ex.com;vip,sp;São Paulo",
      '"Silva; Maria";11 8765-4322;;;"Rio ""RJ"""',
      "Sem Telefone;;x@y.com;;",
      "Lixo;abc123;;;",
      "Já Existe;(11) 8888-0000;;novo;Campinas",
      "João Repetido;+55 11 98765 4321;;dup;",
      "Fixo;(21) 3456-7890;;;Niterói",
    ].join("\r\n");
    const id = await importFile(Buffer.from(csv, "latin1"));
    const done = await finished(id);
    expect(done).toMatchObject({ status: "COMPLETED", rowsRead: 7, imported: 3, updated: 2, invalid: 2, totalRows: 7 });

    const joao = await admin.client.contacts.list.query({ search: "joao" });
    expect(joao.items).toHaveLength(1);
    expect(joao.items[0]).toMatchObject({ name: "João Ávila", phone: "+5511987654321", email: "joao@ex.com" });
    expect(joao.items[0]?.tags.sort()).toEqual(["dup", "sp", "vip"]);
    expect(joao.items[0]?.customFields).toEqual({ Cidade: "São Paulo" });
    const maria = await admin.client.contacts.list.query({ search: "maria" });
    expect(maria.items[0]).toMatchObject({ name: "Silva; Maria", phone: "+5511987654322" });
    expect(maria.items[0]?.customFields).toEqual({ Cidade: 'Rio "RJ"' });
    const filled = await admin.client.contacts.get.query({ id: existing.id });
    expect(filled).toMatchObject({ name: "Já Existe", email: "ja@existe.com", tags: ["novo"] });
    expect(filled.customFields).toEqual({ Cidade: "Campinas" });
    expect((await admin.client.contacts.list.query({ search: "ja existe" })).items).toHaveLength(1);

    const report = await fetch(`${stack.url}/imports/${id}/errors.csv`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toMatch(/text\/csv/);
    expect(report.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(report.headers.get("x-content-type-options")).toBe("nosniff");
    const lines = (await report.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toEqual(["line;value;reason", '4;"";"missing phone"', '5;"abc123";"invalid phone number"']);
  });

  it("reads UTF-8 with BOM and commas, publishes live progress, and honours a given mapping", async () => {
    const op = await userWithToken(stack, "OPERATOR");
    const rows = ["\uFEFFcliente,numero_whats,obs"];
    for (let i = 0; i < 30; i++) rows.push(`Cliente ${i},+55 48 9${String(8000_0000 + i)},obs ${i}`);
    const res = await upload(rows.join("\n"), { name: "utf8.csv" });
    const { importId } = (await res.json()) as { importId: string };
    const { client, ws } = wsClient(stack.url, admin.token);
    const events: Array<{ status: string; imported: number }> = [];
    const done = new Promise<void>((resolve, reject) => {
      const sub = client.contacts.onImportProgress.subscribe(
        { importId },
        {
          onData: (e) => {
            events.push(e.data);
            if (e.data.status === "COMPLETED") {
              sub.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(
      await op.client.contacts.import.mutate({ importId }).catch((e: { data?: { code?: string } }) => e.data?.code),
    ).toBe("FORBIDDEN");
    await admin.client.contacts.import.mutate({ importId, mapping: { phone: "numero_whats", name: "cliente" } });
    await done;
    await ws.close();
    expect(events.at(-1)).toMatchObject({ status: "COMPLETED", imported: 30 });
    const c = await admin.client.contacts.list.query({ search: "cliente 7" });
    expect(c.items[0]?.customFields).toEqual({ obs: "obs 7" });
  });

  it("keeps quotes, backslashes, braces and line breaks exactly as written", async () => {
    const csv = [
      "nome,telefone,tags,obs",
      '"Zé \\\\ {Chaves}, ""o tal""",(85) 99876-0101,"a\\b,{x}","linha 1\nlinha 2 \\N ""NULL"""',
      "NULL,(85) 99876-0102,NULL,{}",
    ].join("\n");
    const done = await finished(await importFile(csv));
    expect(done).toMatchObject({ status: "COMPLETED", imported: 2, invalid: 0 });
    const [ze] = (await admin.client.contacts.list.query({ search: "99876-0101" })).items;
    expect(ze).toMatchObject({ name: 'Zé \\\\ {Chaves}, "o tal"', phone: "+5585998760101" });
    expect(ze?.tags.sort()).toEqual(["a\\b", "{x}"]);
    expect(ze?.customFields).toEqual({ obs: 'linha 1\nlinha 2 \\N "NULL"' });
    expect((await admin.client.contacts.list.query({ search: "ze \\\\ {chaves}" })).items).toHaveLength(1);
    const [literal] = (await admin.client.contacts.list.query({ search: "99876-0102" })).items;
    expect(literal).toMatchObject({ name: "NULL", tags: ["NULL"] });
    expect(literal?.customFields).toEqual({ obs: "{}" });
  });

  it("drops NUL characters from cells, in UTF-8 and in UTF-16 files, instead of failing the batch", async () => {
    // Postgres text cannot hold NUL: one stray byte 0 used to fail every attempt of its batch (import left RUNNING).
    // In UTF-8 a byte 0 within the first 64 KB marks the file binary (refused): put it past the sniffed sample.
    let head = "nome,telefone,cidade\n";
    for (let i = 0; Buffer.byteLength(head) < 70_000; i++) head += `Pessoa ${i},(61) 97${String(1_000_000 + i)},z\n`;
    const padding = head.split("\n").length - 2;
    const utf8 = Buffer.from(`${head}Nu\u0000la Um,(61) 98100-0001,Bras\u0000ília\n`);
    expect(await finished(await importFile(utf8))).toMatchObject({
      status: "COMPLETED",
      imported: padding + 1,
      invalid: 0,
    });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        `nome;telefone;cidade\nNu\u0000la Dois;(61) 98100-0003;Go\u0000iânia\nSem Telefone;\u0000;y\n${Array.from(
          { length: 8 },
          (_, i) => `Outra Pessoa ${i};(61) 98200-000${i};Anápolis\n`,
        ).join("")}`,
        "utf16le",
      ),
    ]);
    expect(await finished(await importFile(utf16))).toMatchObject({ status: "COMPLETED", imported: 9, invalid: 1 });
    const [um] = (await admin.client.contacts.list.query({ search: "98100-0001" })).items;
    expect(um).toMatchObject({ name: "Nula Um", customFields: { cidade: "Brasília" } });
    const [dois] = (await admin.client.contacts.list.query({ search: "98100-0003" })).items;
    expect(dois).toMatchObject({ name: "Nula Dois", customFields: { cidade: "Goiânia" } });
  });

  it("reads an accented letter cut in two by the 16 KB read boundary", async () => {
    let csv = "nome;telefone\n";
    for (let i = 0; Buffer.byteLength(csv) < 16_384 - 60; i++) csv += `Pessoa ${i};(41) 9${80_000_000 + i}\n`;
    // "ã" is two bytes in UTF-8: its first byte is the last one of the first 16 KB read.
    const pad = "x".repeat(16_384 - Buffer.byteLength(csv) - Buffer.byteLength("Jo") - 1);
    csv += `${pad}João Fronteira;(41) 97000-0001\nDepois;(41) 97000-0002\n`;
    expect(Buffer.from(csv).subarray(16_383, 16_385)).toEqual(Buffer.from("ã"));
    const done = await finished(await importFile(csv));
    expect(done).toMatchObject({ status: "COMPLETED", invalid: 0 });
    const [joao] = (await admin.client.contacts.list.query({ search: "(41) 97000-0001" })).items;
    expect(joao?.name).toBe(`${pad}João Fronteira`);
  });

  it("counts a contact repeated across batches once, whatever batch is in flight", async () => {
    // 2,500 rows: batches of 1,000 are written two at a time. Rows 1,000 and 1,001 (adjacent
    // batches) and rows 5 and 2,450 (first and last batch) are the same people.
    const phone = (i: number) => `(31) 9${String(70_000_000 + i)}`;
    const lines = ["nome;telefone;tags"];
    for (let i = 1; i <= 2_500; i++) {
      const same = i === 1_001 ? 1_000 : i === 2_450 ? 5 : i;
      lines.push(`Pessoa ${i};${phone(same)};t${i}`);
    }
    const done = await finished(await importFile(lines.join("\n")));
    expect(done).toMatchObject({ status: "COMPLETED", rowsRead: 2_500, imported: 2_498, updated: 2, invalid: 0 });
    const [five] = (await admin.client.contacts.list.query({ search: phone(5) })).items;
    expect(five).toMatchObject({ name: "Pessoa 5" });
    expect(five?.tags.sort()).toEqual(["t2450", "t5"]);
    const [thousand] = (await admin.client.contacts.list.query({ search: phone(1_000) })).items;
    expect(thousand?.tags.sort()).toEqual(["t1000", "t1001"]);
  });

  it.each([
    ["a binary file", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3, 0, 0, 9]), /binary/],
    ["a file without a phone column", "nome;cidade\nAna;Recife\n", /no phone column.*nome, cidade/],
    ["a header-only file", "nome;telefone\n", /COMPLETED/],
    ["whitespace only", " \n\n  \n", /empty/],
  ])("ends %s with a clear reason", async (_label, body, reason) => {
    const id = await importFile(body);
    const done = await finished(id);
    expect(`${done.status} ${done.error ?? ""}`).toMatch(reason);
  });

  it("keeps the good rows before an unclosed quote and fails naming where it starts", async () => {
    const csv = 'nome;telefone\nAna;(81) 99999-0001\nBia;"(81) 99999-0002\nCaio;(81) 99999-0003\n';
    const done = await finished(await importFile(csv));
    expect(done.status).toBe("FAILED");
    expect(done.error).toMatch(/quoted field is never closed.*line 2/);
    expect(done.imported).toBe(1);
    expect((await admin.client.contacts.list.query({ search: "81999990001" })).items).toHaveLength(1);
  });

  it("refuses an upload over the limit with 413, by Content-Length and while streaming", async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 0x41);
    expect((await upload(big)).status).toBe(413);
    const chunks = (async function* () {
      for (let i = 0; i < 40; i++) yield new Uint8Array(64 * 1024).fill(0x42);
    })();
    const streamed = await fetch(`${stack.url}/uploads/contacts-csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}` },
      body: ReadableStream.from(chunks),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("accepts a multipart upload and refuses operators and anonymous callers", async () => {
    const form = new FormData();
    form.append("file", new Blob(["telefone\n11987650000\n"], { type: "text/csv" }), "form.csv");
    const res = await upload(form);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { fileName: string }).fileName).toBe("form.csv");
    const op = await userWithToken(stack, "OPERATOR");
    expect((await upload("telefone\n1\n", { token: op.token })).status).toBe(403);
    expect((await fetch(`${stack.url}/uploads/contacts-csv`, { method: "POST", body: "x" })).status).toBe(401);
    expect((await fetch(`${stack.url}/imports/00000000-0000-0000-0000-000000000000/errors.csv`)).status).toBe(401);
  });
});
