import { readdir, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { textArray, WEBHOOK_EVENT_TYPES } from "@elsehu/core";
import { userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVO_INSTANCE, messageByProviderId, type Pipeline, startPipeline, until } from "./pipeline-helpers";

/**
 * LGPD erasure leaves nothing behind. A customer's data is created through the
 * user paths (the simulator posts signed webhooks, the worker stores messages and
 * downloads media; an admin runs a campaign from a CSV with a repeated row and
 * imports a contacts CSV), then an admin erases him. Every text and JSON column
 * of every table (found through information_schema, so a new table is searched
 * too) and every file under the storage folder are then searched for his phone,
 * name, message text and media bytes.
 */
let p: Pipeline;

const PHONE = "+55 11 98765-4433";
const DIGITS = "5511987654433";
// The last 8 digits catch every format: E.164, Meta's wa_id, the 8-digit form, Evolution JIDs.
const PHONE_NEEDLE = "87654433";
const NAME = "Graciliano Esquecivel";
const TEXT = "pedido secreto zqx7781";
const CAPTION = "foto do documento zqx7782";
const MEDIA_MARK = "bytes-da-foto-zqx7783";
const NEEDLES = [PHONE_NEEDLE, NAME, TEXT, CAPTION, MEDIA_MARK];

/** An outbound webhook receiver that echoes each body back (so answers hold the customer's data too). */
let receiver: Server;

beforeAll(async () => {
  p = await startPipeline({ config: { allowPrivateWebhookUrls: true } });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => res.end(Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  await p.admin.client.webhookEndpoints.create.mutate({
    url: `http://127.0.0.1:${port}/crm`,
    eventTypes: [...WEBHOOK_EVENT_TYPES],
  });
});
afterAll(async () => {
  await p.close();
  await new Promise((resolve) => receiver.close(resolve));
});

async function customerWrites() {
  await p.sim.injectInbound("META", { from: DIGITS, name: NAME, body: TEXT, id: "wamid.ERASE-1" });
  await p.sim.injectInbound("META", {
    from: DIGITS,
    name: NAME,
    type: "image",
    body: CAPTION,
    id: "wamid.ERASE-2",
    media: { mimeType: "image/jpeg", base64: Buffer.from(MEDIA_MARK).toString("base64") },
  });
  await p.sim.injectInbound("META", {
    from: DIGITS,
    name: NAME,
    type: "reaction",
    body: "❤️",
    reactionTo: "wamid.ERASE-1",
    id: "wamid.ERASE-3",
  });
  await p.sim.injectInbound("EVOLUTION", {
    from: DIGITS,
    name: NAME,
    body: `${TEXT} pelo outro número`,
    instanceName: EVO_INSTANCE,
  });
  await until(() => messageByProviderId(p.stack, "wamid.ERASE-1"), 60_000);
  await until(async () => {
    const m = await messageByProviderId(p.stack, "wamid.ERASE-2");
    return m?.media?.state === "ready";
  }, 60_000);
  await until(async () => {
    const [r] = await p.stack.core.sql`select 1 from messages where body like ${`${TEXT} pelo%`}`;
    return r;
  }, 60_000);
  // The reaction is its own webhook: on a loaded machine it may be applied after the others.
  await until(async () => {
    const [r] = await p.stack.core.sql`
      select 1 from messages where provider_message_id = 'wamid.ERASE-1' and reaction is not null`;
    return r;
  }, 60_000);
}

/** A campaign to a CSV naming the customer twice (the second row is an error row: repeated phone). */
async function campaignToCustomer() {
  const template = await p.admin.client.templates.create.mutate({
    name: "Aviso apagar",
    body: "Olá {{nome}}, temos novidades.",
    meta: {
      name: "aviso_novidades",
      language: "pt_BR",
      components: [{ type: "body", parameters: [{ type: "text", parameter_name: "nome", text: "{{nome}}" }] }],
    },
  });
  const campaign = await p.admin.client.campaigns.create.mutate({
    name: "Campanha apagar",
    instanceId: p.meta.id,
    templateId: template.id,
    variableMapping: { nome: "csv:nome" },
    audience: { kind: "csv" },
    pacePerMinute: 0,
  });
  const upload = await fetch(`${p.stack.url}/uploads/campaign-csv?campaignId=${campaign.id}&fileName=lista.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
    body: `telefone;nome\n${PHONE};${NAME}\n${PHONE};${NAME}\n+5511955550001;Outra Pessoa\n`,
  });
  expect(upload.status).toBe(200);
  expect(((await upload.json()) as { invalid: number }).invalid).toBe(1);
  await p.admin.client.campaigns.start.mutate({ id: campaign.id });
  await until(async () => {
    const [r] = await p.stack.core.sql`
      select 1 from campaign_recipients where campaign_id = ${campaign.id} and status = 'READ' and phone like ${`%${PHONE_NEEDLE}`}`;
    return r;
  }, 60_000);
  return campaign;
}

/** A contacts CSV uploaded but not started yet (PENDING): its file waits in the storage folder. */
async function pendingUpload() {
  const res = await fetch(`${p.stack.url}/uploads/contacts-csv?name=pendente.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
    body: `nome;telefone\r\nOutro Pendente;+5511955550003\r\n${NAME};(11) 98765-4433\r\nMais Um;+5511955550004\r\n`,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { importId: string }).importId;
}

async function contactsImport() {
  const res = await fetch(`${p.stack.url}/uploads/contacts-csv?name=clientes.csv`, {
    method: "POST",
    headers: { authorization: `Bearer ${p.admin.token}`, "content-type": "text/csv" },
    body: `nome;telefone\n${NAME};${PHONE}\nOutra Cliente;+5511955550002\n`,
  });
  expect(res.status).toBe(201);
  const { importId } = (await res.json()) as { importId: string };
  await p.admin.client.contacts.import.mutate({ importId });
  await until(async () => {
    const s = await p.admin.client.contacts.importStatus.query({ id: importId });
    return s.status === "COMPLETED" && s;
  }, 60_000);
}

/**
 * A regular expression for a needle: digits with up to 3 separators between them
 * ("(11) 98765-4433" holds 87654433), anything else literally.
 */
const pattern = (needle: string) =>
  /^\d+$/.test(needle) ? needle.split("").join("\\D{0,3}") : needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every (schema, table, column) of a text or JSON type, outside Postgres' own catalogs. */
async function textColumns() {
  return p.stack.core.sql<{ schema: string; table: string; column: string }[]>`
    select c.table_schema as schema, c.table_name as table, c.column_name as column
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where t.table_type = 'BASE TABLE'
      and c.table_schema not in ('pg_catalog', 'information_schema') and c.table_schema not like 'pg_toast%'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
        or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))`;
}

/** "schema.table.column: needle" for each place a needle is still found (one query per column). */
async function leftInDatabase(needles: string[]) {
  const sql = p.stack.core.sql;
  const found: string[] = [];
  for (const col of await textColumns()) {
    const rows = await sql<{ needle: string }[]>`
      select n.needle from unnest(${textArray(needles)}::text[], ${textArray(needles.map(pattern))}::text[]) as n(needle, re)
      where exists (select 1 from ${sql(col.schema)}.${sql(col.table)} where ${sql(col.column)}::text ~* n.re)`;
    for (const r of rows) found.push(`${col.schema}.${col.table}.${col.column}: ${r.needle}`);
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

async function leftInStorage(needles: string[]) {
  const found: string[] = [];
  for (const file of await filesUnder(p.stack.config.storagePath)) {
    const text = (await readFile(file)).toString("latin1");
    for (const needle of needles) {
      if (new RegExp(pattern(needle), "i").test(text)) found.push(`${file}: ${needle}`);
    }
  }
  return found;
}

let contactId = "";
let pendingImportId = "";

describe("LGPD erasure", () => {
  it("finds the customer's data in the database and the storage folder before erasure", async () => {
    await customerWrites();
    await campaignToCustomer();
    await contactsImport();
    pendingImportId = await pendingUpload();
    await p.sim.settled();
    // Outbound webhooks carried his messages to the CRM (its answers echo them).
    await until(async () => {
      const [r] = await p.stack.core.sql`
        select 1 from webhook_deliveries d1 join webhook_deliveries d2 on d2.type = 'contact.created'
        where d1.type = 'message.received' and d1.status = 'SUCCEEDED' and d1.data::text like ${`%${TEXT}%`}
          and d2.status = 'SUCCEEDED' and d2.response_excerpt like ${`%${NAME}%`}`;
      return r;
    }, 60_000);
    const [c] = (await p.admin.client.contacts.list.query({ search: "graciliano" })).items;
    contactId = String(c?.id);
    expect(c?.phone).toBe(`+${DIGITS}`);
    // The search sees every kind of place before the erasure (it would not prove anything otherwise).
    const before = await leftInDatabase(NEEDLES);
    for (const place of [
      "public.contacts.name",
      "public.messages.body",
      "public.messages.media",
      "public.webhook_events.body",
      "public.campaign_recipients.phone",
      "public.campaign_recipients.variables",
      "public.import_errors.value",
      "public.contact_identities.external_id",
      "public.webhook_deliveries.data",
      "public.webhook_deliveries.response_excerpt",
    ]) {
      expect(before.some((f) => f.startsWith(place))).toBe(true);
    }
    const files = await leftInStorage(NEEDLES);
    expect(files.some((f) => f.includes("/media/") && f.endsWith(MEDIA_MARK))).toBe(true);
    expect(files.some((f) => f.includes("/imports/") && f.endsWith(NAME))).toBe(true);
  }, 120_000);

  it("exports everything held about the customer to staff (LGPD access), audited, and refuses an operator", async () => {
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    const operator = await userWithToken(p.stack, "OPERATOR");
    await expect(operator.client.contacts.exportData.mutate({ id: contactId })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    const data = await supervisor.client.contacts.exportData.mutate({ id: contactId });
    expect(data.contact).toMatchObject({ id: contactId, name: NAME, phone: `+${DIGITS}` });
    expect(data.identities.map((i) => i.kind).sort()).toEqual(["jid", "wa_id"]);
    expect(data.conversations).toHaveLength(2);
    const bodies = data.messages.map((m) => m.body);
    expect(bodies).toEqual(expect.arrayContaining([TEXT, CAPTION, `${TEXT} pelo outro número`]));
    expect(data.messages.find((m) => m.body === TEXT)?.reaction).toMatchObject({ emoji: "❤️" });
    expect(data.media).toEqual([
      expect.objectContaining({ mimeType: "image/jpeg", size: MEDIA_MARK.length, state: "ready" }),
    ]);
    expect(data.campaigns).toEqual([
      expect.objectContaining({ campaignName: "Campanha apagar", variables: { nome: NAME }, status: "READ" }),
    ]);
    expect(data.truncated).toBe(false);
    // The file's bytes and storage key are not part of the export (they are served by /media to staff).
    expect(JSON.stringify(data)).not.toContain("storageKey");
    const audit = await p.admin.client.audit.list.query({ action: "contact.export", actorId: supervisor.user.id });
    expect(audit.items).toEqual([expect.objectContaining({ targetType: "contact", targetId: contactId })]);
  });

  it("an admin's erasure leaves no phone, name, text or media of the customer in any table or file", async () => {
    const supervisor = await userWithToken(p.stack, "SUPERVISOR");
    await expect(supervisor.client.contacts.delete.mutate({ id: contactId })).rejects.toMatchObject({
      data: { code: "FORBIDDEN" },
    });
    await p.admin.client.contacts.delete.mutate({ id: contactId });
    expect(await leftInDatabase(NEEDLES)).toEqual([]);
    expect(await leftInStorage(NEEDLES)).toEqual([]);
    // Other people's data stays: the other recipient and the other imported contact.
    const others = await leftInDatabase(["55550001", "55550002"]);
    expect(others.some((f) => f.startsWith("public.campaign_recipients.phone"))).toBe(true);
    expect(others.some((f) => f.startsWith("public.contacts.phone"))).toBe(true);
    // The upload not started yet lost only his line: started now, it imports the two others.
    await p.admin.client.contacts.import.mutate({ importId: pendingImportId });
    const done = await until(async () => {
      const s = await p.admin.client.contacts.importStatus.query({ id: pendingImportId });
      return s.status === "COMPLETED" && s;
    }, 60_000);
    expect(done).toMatchObject({ imported: 2, invalid: 0 });
    expect(await leftInDatabase(NEEDLES)).toEqual([]);
    // Report counts stay right: the conversations and messages are still counted.
    const [n] = await p.stack.core.sql<{ convs: number; msgs: number }[]>`
      select count(distinct c.id)::int as convs, count(m.id)::int as msgs
      from conversations c join messages m on m.conversation_id = c.id where c.contact_id = ${contactId}`;
    expect(n?.convs).toBe(2);
    expect(n?.msgs).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
