import { connect } from "@elsehu/db";
import { metaWebhookEnvelope } from "@elsehu/providers/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDepartment } from "../src/departments/manage-departments";
import { createInstance } from "../src/instances/create-instance";
import { loadInstance } from "../src/instances/list-instances";
import { listJobs } from "../src/jobs/job-rows";
import { applyStatusBatch } from "../src/messages/apply-status-batch";
import { ingestPlainInbound } from "../src/messages/ingest-inbound-batch";
import { setInstanceRouting } from "../src/routing/set-routing";
import type { CoreContext } from "../src/shared/context";
import { idArray, textArray } from "../src/shared/sql-arrays";
import { createUser } from "../src/users/create-user";
import { storeWebhooks } from "../src/webhooks/store-webhook";
import { workWebhookBatch } from "../src/webhooks/webhook-inbox";
import { type CoreFixture, FIXTURE_PNID as PNID, startCoreFixture } from "./core-fixture";

let fx: CoreFixture;
/** The worker's claiming connection (see workWebhookBatch). */
let claims: ReturnType<typeof connect>;
let core: CoreContext;
let meta: { id: string };
let evolution: { id: string };
let operatorId: string;

beforeAll(async () => {
  fx = await startCoreFixture("batch");
  claims = connect(fx.url, { max: 1 });
  core = fx.core;
  meta = fx.meta;
  const operator = await createUser(core, null, {
    name: "Operadora",
    email: "op@batch.test",
    password: "batch-password",
    role: "OPERATOR",
  });
  operatorId = operator.id;
  evolution = await createInstance(core, fx.admin, {
    provider: "EVOLUTION",
    name: "Evolution",
    config: { baseUrl: "http://127.0.0.1:9", instanceName: "loja" },
    secrets: { apiKey: "batch-api-key", webhookSecret: "batch-hook-secret" },
  });
});

afterAll(async () => {
  await claims?.close();
  await fx?.close();
});

type MetaMessage = Record<string, unknown> & { from: string; id: string };
const seconds = (at: number) => String(Math.floor(at / 1000));

function metaBody(messages: MetaMessage[], statuses: Record<string, unknown>[] = []): string {
  const contacts = messages.map((m) => ({ profile: { name: `Cliente ${m.from}` }, wa_id: m.from }));
  return JSON.stringify(metaWebhookEnvelope({ contacts, messages, statuses }, { phoneNumberId: PNID }));
}

const text = (from: string, id: string, body: string, at = Date.now()): MetaMessage => ({
  from,
  id,
  timestamp: seconds(at),
  type: "text",
  text: { body },
});

function evolutionBody(data: Record<string, unknown>): string {
  return JSON.stringify({ event: "messages.upsert", instance: "loja", data, date_time: new Date().toISOString() });
}

/** Stores the bodies as the webhook routes do, then runs the worker's processing on them. */
async function deliver(...webhooks: Array<{ instanceId: string; provider: "META" | "EVOLUTION"; body: string }>) {
  const ids = await storeWebhooks(core.sql, webhooks);
  const { claimed, failures } = await workWebhookBatch(core, claims.sql, { batch: 200, maxAttempts: 10 });
  expect(claimed).toBe(ids.length);
  expect(failures).toEqual([]);
  // Every stored webhook ends applied, whichever path stored its messages.
  const pending = await core.sql`
    select id from webhook_events
    where id = any(${idArray(ids.map(Number))}::bigint[])
      and (processed_at is null or error is not null)`;
  expect(pending).toEqual([]);
  return ids;
}
const fromMeta = (body: string) => ({ instanceId: meta.id, provider: "META" as const, body });

/** A known customer: contact, wa_id identity and an OPEN conversation with the operator. */
async function knownCustomer(waId: string): Promise<{ contactId: string; conversationId: string }> {
  const [c] = await core.sql<{ id: string }[]>`
    insert into contacts (phone, phone_key, name) values (${`+${waId}`}, ${waId}, 'Conhecido') returning id`;
  const contactId = c?.id as string;
  await core.sql`insert into contact_identities (contact_id, provider, kind, external_id)
    values (${contactId}, 'META', 'wa_id', ${waId})`;
  const [conv] = await core.sql<{ id: string }[]>`
    insert into conversations (contact_id, instance_id, status, operator_id, assigned_at)
    values (${contactId}, ${meta.id}, 'OPEN', ${operatorId}, now()) returning id`;
  return { contactId, conversationId: conv?.id as string };
}

const messagesOf = (conversationId: string) =>
  core.sql<{ provider_message_id: string; body: string | null; direction: string; status: string }[]>`
    select provider_message_id, body, direction, status from messages
    where conversation_id = ${conversationId} order by created_at, provider_message_id`;
const conversation = async (id: string) =>
  (
    await core.sql<{ status: string; unread_count: number; last_inbound_at: Date | null }[]>`
      select status, unread_count, last_inbound_at from conversations where id = ${id}`
  )[0];
const createdEvents = (messageIds: string[]) =>
  core.sql<{ audience: string; user_id: string | null; payload: Record<string, unknown> }[]>`
    select audience, user_id, payload from events
    where kind = 'message.created' and payload->>'messageId' = any(${textArray(messageIds)}::text[]) order by id`;

describe("webhook processing in batches", () => {
  it("stores a known customer's messages in his open conversation, stamps it once per message and tells his operator", async () => {
    const ana = await knownCustomer("5511970000001");
    const bia = await knownCustomer("5511970000002");
    const at = Date.now() - 60_000;
    await deliver(
      fromMeta(metaBody([text("5511970000001", "wamid.K1", "oi", at)])),
      fromMeta(
        metaBody([
          text("5511970000002", "wamid.K2", "bom dia", at),
          text("5511970000001", "wamid.K3", "?", at + 5_000),
        ]),
      ),
    );
    expect(await messagesOf(ana.conversationId)).toEqual([
      { provider_message_id: "wamid.K1", body: "oi", direction: "IN", status: "DELIVERED" },
      { provider_message_id: "wamid.K3", body: "?", direction: "IN", status: "DELIVERED" },
    ]);
    expect(await messagesOf(bia.conversationId)).toHaveLength(1);
    const conv = await conversation(ana.conversationId);
    expect(conv).toMatchObject({ status: "OPEN", unread_count: 2 });
    expect(new Date(conv?.last_inbound_at ?? 0).getTime()).toBe(Math.floor((at + 5_000) / 1000) * 1000);
    const ids = await core.sql<{ id: string }[]>`select id from messages where conversation_id = ${ana.conversationId}`;
    const events = await createdEvents(ids.map((r) => r.id));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      audience: "USER",
      user_id: operatorId,
      payload: { conversationId: ana.conversationId, operatorId, direction: "IN" },
    });
  });

  it("stores a redelivered message once, whether repeated in the same batch or in a later one", async () => {
    const caio = await knownCustomer("5511970000003");
    const body = metaBody([text("5511970000003", "wamid.R1", "repetida")]);
    await deliver(fromMeta(body), fromMeta(body), fromMeta(body));
    await deliver(fromMeta(body));
    expect(await messagesOf(caio.conversationId)).toHaveLength(1);
    expect((await conversation(caio.conversationId))?.unread_count).toBe(1);
    const [m] = await core.sql<{ id: string }[]>`select id from messages where provider_message_id = 'wamid.R1'`;
    expect(await createdEvents([m?.id as string])).toHaveLength(1);
  });

  it("opens a WAITING conversation for a new customer and keeps a known one in his conversation, in one batch", async () => {
    const dora = await knownCustomer("5511970000004");
    await deliver(
      fromMeta(
        metaBody([text("5511970000004", "wamid.N1", "já sou cliente"), text("5511970000099", "wamid.N2", "sou novo")]),
      ),
    );
    expect(await messagesOf(dora.conversationId)).toHaveLength(1);
    const [fresh] = await core.sql<{ id: string; status: string; phone: string; name: string; unread_count: number }[]>`
      select c.id, c.status, ct.phone, ct.name, c.unread_count from messages m
      join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
      where m.provider_message_id = 'wamid.N2'`;
    expect(fresh).toMatchObject({
      status: "WAITING",
      phone: "+5511970000099",
      name: "Cliente 5511970000099",
      unread_count: 1,
    });
    const [created] =
      await core.sql`select 1 from events where kind = 'conversation.created' and payload->>'conversationId' = ${fresh?.id as string}`;
    expect(created).toBeTruthy();
    // The next message of the new customer finds him known, in that same conversation.
    await deliver(fromMeta(metaBody([text("5511970000099", "wamid.N3", "alô?")])));
    expect(await messagesOf(fresh?.id as string)).toHaveLength(2);
  });

  it("opens a new WAITING conversation when the customer's last one was closed", async () => {
    const eva = await knownCustomer("5511970000005");
    await core.sql`update conversations set status = 'CLOSED', closed_at = now() where id = ${eva.conversationId}`;
    await deliver(fromMeta(metaBody([text("5511970000005", "wamid.C1", "voltei")])));
    expect(await messagesOf(eva.conversationId)).toHaveLength(0);
    expect(await conversation(eva.conversationId)).toMatchObject({ status: "CLOSED", unread_count: 0 });
    const [open] = await core.sql<{ status: string; n: number }[]>`
      select c.status, (select count(*)::int from messages m where m.conversation_id = c.id) as n
      from conversations c where c.contact_id = ${eva.contactId} and c.status in ('WAITING', 'OPEN')`;
    expect(open).toEqual({ status: "WAITING", n: 1 });
  });

  it("moves an outbound message's status forward only, whatever order its statuses arrive in among messages", async () => {
    const fabio = await knownCustomer("5511970000006");
    await core.sql`insert into messages (conversation_id, instance_id, direction, type, body, provider_message_id, status)
      values (${fabio.conversationId}, ${meta.id}, 'OUT', 'text', 'olá', 'wamid.OUT1', 'SENT')`;
    const status = (s: string) => ({
      id: "wamid.OUT1",
      status: s,
      timestamp: seconds(Date.now()),
      recipient_id: "5511970000006",
    });
    await deliver(
      fromMeta(metaBody([text("5511970000006", "wamid.S1", "recebi")], [status("read")])),
      fromMeta(metaBody([text("5511970000006", "wamid.S2", "obrigado")], [status("delivered")])),
      fromMeta(metaBody([], [status("sent")])),
    );
    const [out] = await core.sql<
      { status: string }[]
    >`select status from messages where provider_message_id = 'wamid.OUT1'`;
    expect(out?.status).toBe("READ");
    expect((await messagesOf(fabio.conversationId)).map((m) => m.provider_message_id)).toEqual(
      expect.arrayContaining(["wamid.S1", "wamid.S2", "wamid.OUT1"]),
    );
  });

  it("applies a batch mixing instances and types: Evolution text and inline image, Meta location and a reply quoting the message before it", async () => {
    const gabi = await knownCustomer("5511970000007");
    const evoKey = (id: string) => ({
      remoteJid: "5511970000008@s.whatsapp.net",
      remoteJidAlt: "1398745@lid",
      fromMe: false,
      id,
    });
    const evo = (data: Record<string, unknown>) => ({
      instanceId: evolution.id,
      provider: "EVOLUTION" as const,
      body: evolutionBody(data),
    });
    const at = Math.floor(Date.now() / 1000);
    const image = Buffer.from("imagem").toString("base64");
    await deliver(
      evo({
        key: evoKey("EVO1"),
        pushName: "Hugo",
        message: { conversation: "oi pelo evolution" },
        messageType: "conversation",
        messageTimestamp: at,
      }),
      fromMeta(
        metaBody([
          {
            from: "5511970000007",
            id: "wamid.L1",
            timestamp: seconds(Date.now()),
            type: "location",
            location: { latitude: -23.55, longitude: -46.63, name: "Sé" },
          },
          { ...text("5511970000007", "wamid.Q1", "pergunta"), id: "wamid.Q1" },
          { ...text("5511970000007", "wamid.Q2", "respondendo"), context: { from: "5511970000007", id: "wamid.Q1" } },
        ]),
      ),
      evo({
        key: evoKey("EVO2"),
        pushName: "Hugo",
        message: { imageMessage: { mimetype: "image/jpeg", caption: "foto" }, base64: image },
        messageType: "imageMessage",
        messageTimestamp: at + 1,
      }),
      evo({
        key: evoKey("EVO3"),
        pushName: "Hugo",
        message: { conversation: "de novo" },
        messageType: "conversation",
        messageTimestamp: at + 2,
      }),
    );
    const rows = await core.sql<
      {
        provider_message_id: string;
        type: string;
        content: Record<string, unknown> | null;
        media: Record<string, unknown> | null;
        reply: string | null;
        conversation_id: string;
      }[]
    >`
      select m.provider_message_id, m.type, m.content, m.media, q.provider_message_id as reply, m.conversation_id
      from messages m left join messages q on q.id = m.reply_to_id
      where m.provider_message_id in ('EVO1', 'EVO2', 'EVO3', 'wamid.L1', 'wamid.Q1', 'wamid.Q2') order by m.provider_message_id`;
    const by = new Map(rows.map((r) => [r.provider_message_id, r]));
    expect(rows).toHaveLength(6);
    expect(by.get("wamid.L1")).toMatchObject({
      type: "location",
      conversation_id: gabi.conversationId,
      content: { location: { latitude: -23.55 } },
    });
    expect(by.get("wamid.Q2")).toMatchObject({ reply: "wamid.Q1", conversation_id: gabi.conversationId });
    expect(by.get("EVO2")?.media).toMatchObject({ mimeType: "image/jpeg", size: 6 });
    // Hugo is new on Evolution: his three messages share one contact (JID and @lid recorded) and one conversation.
    expect(new Set(["EVO1", "EVO2", "EVO3"].map((id) => by.get(id)?.conversation_id)).size).toBe(1);
    const ids = await core.sql<{ kind: string }[]>`
      select ci.kind from contact_identities ci join conversations c on c.contact_id = ci.contact_id
      where c.id = ${by.get("EVO1")?.conversation_id as string} order by ci.kind`;
    expect(ids.map((r) => r.kind)).toEqual(["jid", "lid"]);
  });

  it("leaves to the one-by-one path a sender with an identity it has not seen yet, which then records it", async () => {
    const iris = await knownCustomer("5511970000010");
    const event = {
      kind: "message" as const,
      providerMessageId: "wamid.B1",
      from: { waId: "5511970000010", bsuid: "BR.999", phone: "+5511970000010" },
      timestamp: new Date(),
      type: "text" as const,
      body: "com bsuid",
    };
    const known = { ...event, providerMessageId: "wamid.B0", from: { waId: "5511970000010" } };
    const instance = await loadInstance(core, meta.id);
    expect(
      await ingestPlainInbound(core, [
        { instance, event: known },
        { instance, event },
      ]).then((r) => r.handled),
    ).toEqual([true, false]);
    await deliver(
      fromMeta(
        JSON.stringify({
          object: "whatsapp_business_account",
          entry: [
            {
              id: "1",
              changes: [
                {
                  field: "messages",
                  value: {
                    messaging_product: "whatsapp",
                    metadata: { display_phone_number: "5511940001234", phone_number_id: PNID },
                    contacts: [{ profile: { name: "Iris" }, wa_id: "5511970000010", user_id: "BR.999" }],
                    messages: [{ ...text("5511970000010", "wamid.B1", "com bsuid"), from_user_id: "BR.999" }],
                  },
                },
              ],
            },
          ],
        }),
      ),
    );
    expect((await messagesOf(iris.conversationId)).map((m) => m.provider_message_id).sort()).toEqual([
      "wamid.B0",
      "wamid.B1",
    ]);
    const kinds = await core.sql<
      { kind: string }[]
    >`select kind from contact_identities where contact_id = ${iris.contactId} order by kind`;
    expect(kinds.map((k) => k.kind)).toEqual(["bsuid", "wa_id"]);
  });
  it("applies a run of ticks in one commit: each message ends at its highest status, a failure keeps its reason, each move is told to the operator", async () => {
    const gil = await knownCustomer("5511970000011");
    const out = ["wamid.T1", "wamid.T2", "wamid.T3", "wamid.T4"];
    for (const id of out) {
      await core.sql`insert into messages (conversation_id, instance_id, direction, type, body, provider_message_id, status)
        values (${gil.conversationId}, ${meta.id}, 'OUT', 'text', 'oi', ${id}, 'SENT')`;
    }
    const tick = (id: string, s: string, extra: Record<string, unknown> = {}) => ({
      id,
      status: s,
      timestamp: seconds(Date.now()),
      recipient_id: "5511970000011",
      ...extra,
    });
    const failure = { errors: [{ code: 131026, title: "Message undeliverable" }] };
    await deliver(
      fromMeta(metaBody([], [tick("wamid.T1", "delivered"), tick("wamid.T2", "read")])),
      // T1 twice in the run (the second is applied after it), T3 fails, T4 is told "sent" after it was read.
      fromMeta(metaBody([], [tick("wamid.T1", "read"), tick("wamid.T3", "failed", failure)])),
      fromMeta(metaBody([], [tick("wamid.T4", "read"), tick("wamid.T4", "sent"), tick("wamid.NOPE", "read")])),
    );
    const rows = await core.sql<{ provider_message_id: string; status: string; error_code: string | null }[]>`
      select provider_message_id, status, error_code from messages
      where provider_message_id = any(${textArray(out)}::text[]) order by provider_message_id`;
    expect(rows.map((r) => [r.provider_message_id, r.status, r.error_code])).toEqual([
      ["wamid.T1", "READ", null],
      ["wamid.T2", "READ", null],
      ["wamid.T3", "FAILED", "131026"],
      ["wamid.T4", "READ", null],
    ]);
    const events = await core.sql<{ user_id: string; status: string; tx: string }[]>`
      select user_id, payload->>'status' as status, xmin::text as tx from events
      where kind = 'message.status' and payload->>'conversationId' = ${gil.conversationId} order by id`;
    expect(events.map((e) => e.status)).toEqual(["DELIVERED", "READ", "FAILED", "READ", "READ"]);
    expect(new Set(events.map((e) => e.user_id))).toEqual(new Set([operatorId]));
    // The first occurrence of each message went in one statement: one commit, not one per tick.
    expect(new Set(events.slice(0, 4).map((e) => e.tx)).size).toBe(1);
    // A late tick of a known message is settled in the batch (nothing to change), not one by one.
    const late = { kind: "status" as const, providerMessageId: "wamid.T2", status: "delivered" as const };
    const { handled } = await applyStatusBatch(core, [
      { instanceId: meta.id, update: { ...late, timestamp: new Date() } },
      { instanceId: meta.id, update: { ...late, providerMessageId: "wamid.NOPE", timestamp: new Date() } },
    ]);
    expect(handled).toEqual([true, false]);
  });
  it("routes a burst's menu answers with their messages in one commit; a closed department or no match goes one by one", async () => {
    // A number of its own, so no instance read before its menu was set is cached.
    const menuPnid = "109876543210999";
    const number = await createInstance(core, fx.admin, {
      provider: "META",
      name: "Menu",
      config: { phoneNumberId: menuPnid },
      secrets: { accessToken: "menu-access-token", appSecret: "menu-app-secret", verifyToken: "menu-verify" },
    });
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: core.config.timezone }).format(new Date());
    const sales = await createDepartment(core, fx.admin, { name: "Vendas" });
    const billing = await createDepartment(core, fx.admin, {
      name: "Financeiro",
      hours: { weekly: [], holidays: [today] },
      outOfHoursMessage: "Estamos fechados hoje.",
    });
    await setInstanceRouting(core, fx.admin, {
      instanceId: number.id,
      routing: {
        mode: "MENU",
        greeting: "Com quem quer falar?",
        options: [
          { title: "Vendas", departmentId: sales.id },
          { title: "Financeiro", departmentId: billing.id },
        ],
        fallbackDepartmentId: sales.id,
        timeoutMinutes: 60,
      },
    });
    const menuBody = (messages: MetaMessage[]) => {
      const contacts = messages.map((m) => ({ profile: { name: `Cliente ${m.from}` }, wa_id: m.from }));
      return JSON.stringify(metaWebhookEnvelope({ contacts, messages }, { phoneNumberId: menuPnid }));
    };
    const fromMenu = (body: string) => ({ instanceId: number.id, provider: "META" as const, body });
    // Five customers, each in the menu: their first messages open their conversations there.
    const phones = ["5511970000021", "5511970000022", "5511970000023", "5511970000024", "5511970000025"];
    await deliver(...phones.map((p, i) => fromMenu(menuBody([text(p, `wamid.M0${i}`, "oi")]))));
    await deliver(
      fromMenu(menuBody([text(phones[0] ?? "", "wamid.M10", "1"), text(phones[1] ?? "", "wamid.M11", "vendas")])),
      fromMenu(menuBody([text(phones[2] ?? "", "wamid.M12", "2"), text(phones[3] ?? "", "wamid.M13", "talvez")])),
      // The first answer counts; the second is a plain message of the conversation it routed.
      fromMenu(menuBody([text(phones[4] ?? "", "wamid.M14", "1"), text(phones[4] ?? "", "wamid.M15", "2")])),
    );
    const rows = await core.sql<
      {
        phone: string;
        department_id: string | null;
        routing_state: string | null;
        attempts: number;
        notified: boolean;
      }[]
    >`select ct.phone, c.department_id, c.routing_state, c.routing_attempts as attempts,
        c.out_of_hours_notified_at is not null as notified
      from conversations c join contacts ct on ct.id = c.contact_id
      where c.instance_id = ${number.id} order by ct.phone`;
    expect(rows.map((r) => [r.department_id, r.routing_state, r.attempts, r.notified])).toEqual([
      [sales.id, null, 0, false],
      [sales.id, null, 0, false],
      // Closed today: routed one by one, with its out-of-hours message.
      [billing.id, null, 0, true],
      // No match: the menu again, still in it.
      [null, "MENU", 1, false],
      [sales.id, null, 0, false],
    ]);
    const routed = await core.sql<{ conversation: string; tx: string; outcome: string }[]>`
      select payload->>'conversationId' as conversation, xmin::text as tx, payload->>'outcome' as outcome
      from events where kind = 'conversation.routed'
        and payload->>'instanceId' = ${number.id} and payload->>'departmentId' = ${sales.id}`;
    expect(routed).toHaveLength(3);
    expect(routed.every((e) => e.outcome === "answer")).toBe(true);
    // The three plain answers, their messages and their routing: one commit, not one per customer.
    const [answers] = await core.sql<{ txs: number }[]>`
      select count(distinct xmin::text)::int as txs from messages
      where provider_message_id = any(${textArray(["wamid.M10", "wamid.M11", "wamid.M14"])}::text[])`;
    expect(answers?.txs).toBe(1);
    expect(new Set(routed.map((e) => e.tx)).size).toBe(1);
  });

  it("opens a burst of first messages in one commit: new and imported contacts, protocols, the menu and its send job", async () => {
    const menuPnid = "109876543210998";
    const number = await createInstance(core, fx.admin, {
      provider: "META",
      name: "Primeiro contato",
      config: { phoneNumberId: menuPnid },
      secrets: { accessToken: "first-access-token", appSecret: "first-app-secret", verifyToken: "first-verify" },
    });
    const support = await createDepartment(core, fx.admin, { name: "Suporte" });
    await setInstanceRouting(core, fx.admin, {
      instanceId: number.id,
      routing: {
        mode: "MENU",
        greeting: "Olá! Escolha:",
        options: [
          { title: "Suporte", departmentId: support.id },
          { title: "Outros", departmentId: support.id },
        ],
        fallbackDepartmentId: support.id,
        timeoutMinutes: 60,
      },
    });
    // An imported contact (a campaign's list): known by phone, no provider identity yet.
    const [imported] = await core.sql<{ id: string }[]>`
      insert into contacts (phone, phone_key, name) values ('+5511970000034', '5511970000034', 'Importada') returning id`;
    const phones = ["5511970000031", "5511970000032", "5511970000033", "5511970000034"];
    const body = (p: string, i: number) =>
      JSON.stringify(
        metaWebhookEnvelope(
          { contacts: [{ profile: { name: `Cliente ${p}` }, wa_id: p }], messages: [text(p, `wamid.F${i}`, "oi")] },
          { phoneNumberId: menuPnid },
        ),
      );
    await deliver(...phones.map((p, i) => ({ instanceId: number.id, provider: "META" as const, body: body(p, i) })));
    const rows = await core.sql<
      {
        phone: string;
        name: string;
        contact_id: string;
        id: string;
        protocol: string;
        routing_state: string;
        tx: string;
      }[]
    >`select ct.phone, ct.name, ct.id as contact_id, c.id, c.protocol, c.routing_state, c.xmin::text as tx
      from conversations c join contacts ct on ct.id = c.contact_id
      where c.instance_id = ${number.id} order by ct.phone`;
    expect(rows.map((r) => [r.phone, r.name, r.routing_state])).toEqual([
      ["+5511970000031", "Cliente 5511970000031", "MENU"],
      ["+5511970000032", "Cliente 5511970000032", "MENU"],
      ["+5511970000033", "Cliente 5511970000033", "MENU"],
      // Found by phone: the same contact, its name kept.
      ["+5511970000034", "Importada", "MENU"],
    ]);
    expect(rows[3]?.contact_id).toBe(imported?.id);
    expect(new Set(rows.map((r) => r.protocol)).size).toBe(4);
    for (const r of rows) expect(r.protocol).toMatch(/^\d{8}-\d{6}$/);
    // Every identity recorded, so their next messages take the batched path of known senders.
    const identities = await core.sql<{ external_id: string; contact_id: string }[]>`
      select external_id, contact_id from contact_identities
      where external_id = any(${textArray(phones)}::text[]) order by external_id`;
    expect(identities.map((i) => [i.external_id, i.contact_id])).toEqual(
      rows.map((r) => [r.phone.slice(1), r.contact_id]),
    );
    // The menu queued for each, on its conversation's own send queue.
    // The menu queued for each, and one job that sends them all.
    const menus = await core.sql<{ id: string; conversation_id: string; type: string; status: string }[]>`
      select id, conversation_id, type, status from messages
      where instance_id = ${number.id} and direction = 'OUT' order by conversation_id`;
    expect(menus.map(({ id: _, ...m }) => m)).toEqual(
      rows
        .map((r) => ({ conversation_id: r.id, type: "interactive", status: "QUEUED" }))
        .sort((a, b) => a.conversation_id.localeCompare(b.conversation_id)),
    );
    const ids = menus.map((m) => m.id);
    const sends = (await listJobs(core, { task: "messages/send_batch" }))
      .map((j) => (j.payload as { messageIds: string[] }).messageIds)
      .filter((list) => list.some((id) => ids.includes(id)));
    expect(sends.map((list) => [...list].sort())).toEqual([[...ids].sort()]);
    // Contacts, conversations, messages and menus of the four: one commit, not one per customer.
    const [writes] = await core.sql<{ txs: number }[]>`
      select count(distinct xmin::text)::int as txs from messages where instance_id = ${number.id}`;
    expect(writes?.txs).toBe(1);
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    const created = await core.sql<{ kind: string; n: number }[]>`
      select kind, count(*)::int as n from events
      where (kind = 'contact.created' and payload->>'contactId' = any(${textArray(rows.map((r) => r.contact_id))}::text[]))
        or (kind in ('conversation.created', 'message.created')
          and payload->>'conversationId' = any(${textArray(rows.map((r) => r.id))}::text[]))
      group by kind order by kind`;
    expect(created).toEqual([
      { kind: "contact.created", n: 3 },
      { kind: "conversation.created", n: 4 },
      { kind: "message.created", n: 8 },
    ]);
  });
});
