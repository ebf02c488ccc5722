import type { DepartmentHours, InstanceRouting } from "@elsehu/db";
import { normalizePhone } from "@elsehu/providers";
import type { TransactionSql } from "postgres";
import { CSAT_ANSWER_WINDOW_MS } from "../automatic/csat";
import { attributionStart } from "../campaigns/mark-campaign-reply";
import { requestAssignment } from "../conversations/request-assignment";
import { isOpenAt } from "../departments/hours";
import type { PublishInput } from "../events/catalog";
import { publishEvents } from "../events/publish";
import { addJobs } from "../jobs/add-job";
import { menuMessage } from "../routing/menu";
import type { CoreContext } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { contentOf } from "./ingest-inbound";
import { identityLookups, type PlainInbound } from "./ingest-inbound-batch";
import { searchTextOf, senderIdentities } from "./upsert-sender";

/** Raised inside the batch when a concurrent writer took one of its rows: the batch rolls back, its messages go one by one. */
class Contended extends Error {}

type Place = { departmentId: string | null; menu: Extract<InstanceRouting, { mode: "MENU" }> | null };

/**
 * A customer's first message (no active conversation on the number) for many
 * customers at once: what ingestInbound does for each (contact and identities,
 * the conversation placed by the number's routing with its protocol number, the
 * message, the campaign reply, the menu), in one transaction of a few statements
 * for the whole run instead of about twenty per message. It takes the common case only:
 * - the sender is new on the number's provider (no identity known) and has a
 *   phone (his contact is the one with that phone, or a new one), or every identity
 *   he carries is known and all of one contact;
 * - a contact that already exists has a name, or the message brings none (filling
 *   a name is ingestInbound's), and owes no answer to a satisfaction question;
 * - the number routes to the global queue, to the menu, or to a department open now;
 * - his first message of the run (a later one lands in the conversation one by one).
 * Anything else, and any row a concurrent writer took first (a contact, an
 * identity, a conversation, the message), is left to ingestInbound: returns which
 * were handled.
 */
export async function ingestFirstInbound(
  ctx: Pick<CoreContext, "sql" | "now" | "config">,
  items: PlainInbound[],
): Promise<{ handled: boolean[] }> {
  const handled = items.map(() => false);
  const places = await placesOf(ctx, items);
  const seen = new Set<string>();
  const rows = items.flatMap(({ instance, event }, ord): Row[] => {
    const ids = senderIdentities(event.from);
    const phone = event.from.phone ? normalizePhone(event.from.phone) : null;
    const sender = `${instance.id} ${phone?.key ?? ids[0]?.externalId}`;
    const place = places.get(instance.id);
    if (ids.length === 0 || seen.has(sender) || place === undefined) return [];
    seen.add(sender);
    return [
      {
        ord,
        instance_id: instance.id,
        provider: instance.provider,
        ...Object.fromEntries(ids.map((i) => [i.kind, i.externalId])),
        phone: phone?.e164 ?? null,
        phone_key: phone?.key ?? null,
        name: event.from.name || null,
        search_text: searchTextOf([event.from.name, phone?.key]),
        pmid: event.providerMessageId,
        type: event.type,
        body: event.body ?? null,
        content: contentOf(event),
        created_at: event.timestamp.toISOString(),
        department_id: place.departmentId,
        menu: place.menu !== null,
      },
    ];
  });
  if (rows.length === 0) return { handled };
  const done = await ctx.sql
    .begin((tx) => openConversations(ctx, tx, rows, places))
    .catch((err: unknown) => {
      if (err instanceof Contended) return [];
      throw err;
    });
  for (const ord of done) handled[ord] = true;
  return { handled };
}

/** One input as the statements read it (identity columns by kind: wa_id, bsuid, jid, lid). */
type Row = {
  ord: number;
  instance_id: string;
  provider: "META" | "EVOLUTION";
  wa_id?: string;
  bsuid?: string;
  jid?: string;
  lid?: string;
  phone: string | null;
  phone_key: string | null;
  name: string | null;
  search_text: string;
  pmid: string;
  type: string;
  body: string | null;
  content: Record<string, unknown> | null;
  created_at: string;
  department_id: string | null;
  menu: boolean;
};

/** The statements of the batch, in its transaction; returns the inputs (ord) it stored. */
async function openConversations(
  ctx: Pick<CoreContext, "now" | "config">,
  tx: TransactionSql,
  rows: Row[],
  places: Map<string, Place>,
): Promise<number[]> {
  const now = ctx.now().toISOString();
  const input = JSON.stringify(rows);
  // 1. Who each sender is, and whether his case is the common one.
  const csatSince = new Date(ctx.now().getTime() - CSAT_ANSWER_WINDOW_MS).toISOString();
  const resolved = await tx<{ ord: number; contact_id: string | null; unknown: boolean }[]>`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as r(ord int, instance_id uuid, provider text,
        wa_id text, bsuid text, jid text, lid text, phone_key text, name text, pmid text)
    ), ident as materialized (
      select i.*, ${identityLookups(tx)}
      from input i
      where not exists (select 1 from messages m where m.instance_id = i.instance_id and m.provider_message_id = i.pmid)
    ), who as materialized (
      select d.*, case
          when coalesce(d.by_wa_id, d.by_bsuid, d.by_jid, d.by_lid) is null then
            (select ct.id from contacts ct where ct.phone_key = d.phone_key)
          when (d.wa_id is null or d.by_wa_id = d.known) and (d.bsuid is null or d.by_bsuid = d.known)
            and (d.jid is null or d.by_jid = d.known) and (d.lid is null or d.by_lid = d.known) then d.known
        end as contact_id,
        coalesce(d.by_wa_id, d.by_bsuid, d.by_jid, d.by_lid) is null as unknown
      from (select *, coalesce(by_wa_id, by_bsuid, by_jid, by_lid) as known from ident) d
    )
    select w.ord, w.contact_id, w.unknown from who w left join contacts ct on ct.id = w.contact_id
    where ((w.unknown and w.phone_key is not null) or w.contact_id is not null)
      and not (ct.id is not null and ct.name is null and w.name is not null)
      and not exists (select 1 from conversations c where c.contact_id = w.contact_id and c.instance_id = w.instance_id
        and (c.status in ('WAITING', 'OPEN')
          or (c.csat_asked_at >= ${csatSince}::timestamptz and c.csat_answered_at is null)))`;
  if (resolved.length === 0) return [];
  const byOrd = new Map(rows.map((r) => [r.ord, r]));
  // 2. New contacts (a phone another writer created meanwhile: that sender goes one by one).
  const fresh = resolved.filter((r) => r.contact_id === null).map((r) => byOrd.get(r.ord) as Row);
  const created =
    fresh.length === 0
      ? []
      : await tx<{ id: string; phone_key: string }[]>`
          insert into contacts (phone, phone_key, name, search_text)
          select r.phone, r.phone_key, r.name, r.search_text
          from jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) as r(phone text, phone_key text, name text, search_text text)
          on conflict (phone_key) do nothing
          returning id, phone_key`;
  const createdId = new Map(created.map((c) => [c.phone_key, c.id]));
  const senders = resolved.flatMap((r) => {
    const row = byOrd.get(r.ord) as Row;
    const contactId = r.contact_id ?? createdId.get(row.phone_key ?? "");
    return contactId ? [{ ...row, contact_id: contactId, unknown: r.unknown, created: r.contact_id === null }] : [];
  });
  // 3. The identities of senders who were unknown; one taken meanwhile by another writer undoes the batch.
  const identify = senders
    .filter((s) => s.unknown)
    .flatMap((s) =>
      senderIdentities({ waId: s.wa_id, bsuid: s.bsuid, jid: s.jid, lid: s.lid }).map((i) => ({
        contact_id: s.contact_id,
        provider: s.provider,
        kind: i.kind,
        external_id: i.externalId,
      })),
    );
  const recorded =
    identify.length === 0
      ? []
      : await tx`
          insert into contact_identities (contact_id, provider, kind, external_id)
          select r.contact_id, r.provider::provider_kind, r.kind, r.external_id
          from jsonb_to_recordset(${JSON.stringify(identify)}::jsonb) as r(contact_id uuid, provider text, kind text, external_id text)
          on conflict do nothing
          returning id`;
  if (recorded.length !== identify.length) throw new Contended();
  // 4. The conversations, placed by the routing (an active one opened meanwhile: that sender goes one by one),
  // 5. their messages, stamped on them, and the campaign each answers.
  const since = attributionStart(ctx.now()).toISOString();
  const opened = await tx<{ id: string; contact_id: string; instance_id: string }[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(senders)}::jsonb) as r(ord int, instance_id uuid,
        contact_id uuid, department_id uuid, menu boolean, created_at timestamptz)
      order by ord
    ), campaign as (
      select i.ord, (select r2.campaign_id from campaign_recipients r2 join campaigns k on k.id = r2.campaign_id
          where r2.contact_id = i.contact_id and k.instance_id = i.instance_id
            and r2.status in ('SENT', 'DELIVERED', 'READ', 'UNKNOWN') and r2.attempted_at >= ${since}::timestamptz
          order by r2.attempted_at desc limit 1) as campaign_id
      from input i
    )
    insert into conversations (contact_id, instance_id, status, department_id, routing_state, routing_asked_at,
      created_at, queued_at, protocol, last_message_at, last_inbound_at, unread_count, campaign_id)
    select i.contact_id, i.instance_id, 'WAITING', i.department_id, case when i.menu then 'MENU' end,
      case when i.menu then ${now}::timestamptz end, ${now}::timestamptz, ${now}::timestamptz,
      next_conversation_protocol(${now}::timestamptz, ${ctx.config.timezone}), i.created_at, i.created_at, 1,
      c.campaign_id
    from input i join campaign c on c.ord = i.ord
    order by i.ord
    on conflict (contact_id, instance_id) where status in ('WAITING', 'OPEN') do nothing
    returning id, contact_id, instance_id`;
  if (opened.length === 0) return [];
  const openedFor = new Map(opened.map((o) => [`${o.contact_id} ${o.instance_id}`, o]));
  const conversationOf = new Map(
    senders.flatMap((s) => {
      const conv = openedFor.get(`${s.contact_id} ${s.instance_id}`);
      return conv ? [[s.ord, conv] as const] : [];
    }),
  );
  const stored = senders.filter((s) => conversationOf.has(s.ord));
  const messages = stored.map((s) => ({ ...s, conversation_id: conversationOf.get(s.ord)?.id }));
  const inserted = await tx<{ id: string; conversation_id: string }[]>`
    insert into messages (conversation_id, instance_id, direction, type, body, content, provider_message_id,
      status, created_at)
    select r.conversation_id, r.instance_id, 'IN', r.type, r.body, r.content, r.pmid, 'DELIVERED', r.created_at
    from jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) as r(ord int, conversation_id uuid, instance_id uuid,
      type text, body text, content jsonb, pmid text, created_at timestamptz)
    order by r.ord
    on conflict (instance_id, provider_message_id) do nothing
    returning id, conversation_id`;
  // Stored meanwhile by another writer: the conversation opened for it must not stay empty.
  if (inserted.length !== messages.length) throw new Contended();
  await tx`
    update campaign_recipients r set replied_at = ${now}::timestamptz
    from (select c.contact_id, c.instance_id, c.campaign_id from conversations c
      where c.id = any(${uuidArray(opened.map((o) => o.id))}::uuid[]) and c.campaign_id is not null) x
    where r.id = (select r2.id from campaign_recipients r2 join campaigns k on k.id = r2.campaign_id
        where r2.contact_id = x.contact_id and k.instance_id = x.instance_id
          and r2.status in ('SENT', 'DELIVERED', 'READ', 'UNKNOWN') and r2.attempted_at >= ${since}::timestamptz
        order by r2.attempted_at desc limit 1)
      and r.replied_at is null`;
  // 6. The menu, to those who get it; 7. the events, in the order ingestInbound publishes them.
  const menus = await queueMenus(tx, ctx.now(), stored, conversationOf, places);
  const messageOf = new Map(inserted.map((m) => [m.conversation_id, m.id]));
  const events: PublishInput[] = [];
  for (const s of stored) {
    const conv = conversationOf.get(s.ord);
    if (!conv) continue;
    if (s.created) {
      events.push({ kind: "contact.created", audience: { to: "STAFF" }, payload: { contactId: s.contact_id } });
    }
    events.push({
      kind: "conversation.created",
      audience: { to: "STAFF" },
      payload: {
        conversationId: conv.id,
        status: "WAITING",
        departmentId: s.department_id,
        routingState: s.menu ? "MENU" : null,
      },
    });
    const ids = [messageOf.get(conv.id), menus.get(conv.id)];
    for (const [i, messageId] of ids.entries()) {
      if (!messageId) continue;
      events.push({
        kind: "message.created",
        audience: { to: "STAFF" },
        payload: { messageId, conversationId: conv.id, operatorId: null, direction: i === 0 ? "IN" : "OUT" },
      });
    }
  }
  await publishEvents(tx, events);
  // 8. One queue-draining job for the conversations that wait in a queue (the menu's wait for the answer).
  if (stored.some((s) => !s.menu)) await requestAssignment(tx, "created");
  return stored.map((s) => s.ord);
}

/**
 * The menu of each conversation opened in the run, queued as queueAutomatic queues it (an OUT message, the
 * conversation stamped), and one `messages/send_batch` job for them all. Returns message ids by conversation.
 */
async function queueMenus(
  tx: TransactionSql,
  now: Date,
  stored: Row[],
  conversationOf: Map<number, { id: string }>,
  places: Map<string, Place>,
): Promise<Map<string, string>> {
  const drafts = stored.flatMap((s) => {
    const menu = places.get(s.instance_id)?.menu;
    const conv = conversationOf.get(s.ord);
    if (!s.menu || !menu || !conv) return [];
    const choices = menuMessage(menu);
    const interactive = s.provider === "META" ? choices : null;
    return [
      {
        ord: s.ord,
        conversation_id: conv.id,
        instance_id: s.instance_id,
        type: interactive ? "interactive" : "text",
        body: interactive ? interactive.body : (choices.fallbackText ?? menu.greeting),
        content: interactive ? { auto: "menu", interactive } : { auto: "menu" },
      },
    ];
  });
  if (drafts.length === 0) return new Map();
  const at = now.toISOString();
  const rows = await tx<{ id: string; conversation_id: string }[]>`
    with draft as (
      select * from jsonb_to_recordset(${JSON.stringify(drafts)}::jsonb)
        as r(ord int, conversation_id uuid, instance_id uuid, type text, body text, content jsonb)
    ), ins as (
      insert into messages (conversation_id, instance_id, direction, type, body, content, status, created_at)
      select d.conversation_id, d.instance_id, 'OUT', d.type, d.body, d.content, 'QUEUED', ${at}::timestamptz
      from draft d order by d.ord
      returning id, conversation_id
    ), touched as (
      update conversations c set last_message_at = greatest(c.last_message_at, ${at}::timestamptz)
      from ins i where c.id = i.conversation_id
    )
    select i.id, i.conversation_id from ins i`;
  // One job sends the run's menus, a few at a time (one job each would wait on the worker's job slots). Each
  // is its conversation's first automatic message: none queued before it to keep the order with.
  await addJobs(tx, [{ name: "messages/send_batch", payload: { messageIds: rows.map((r) => r.id) } }]);
  return new Map(rows.map((r) => [r.conversation_id, r.id]));
}

/**
 * Where each number of the run places a new conversation, read fresh (a change applies to the very next
 * conversation): absent when its routing is not one this batch takes (a department closed now, or archived).
 */
async function placesOf(
  ctx: Pick<CoreContext, "sql" | "now" | "config">,
  items: PlainInbound[],
): Promise<Map<string, Place>> {
  const ids = [...new Set(items.map((i) => i.instance.id))];
  const found = await ctx.sql<
    { id: string; routing: InstanceRouting | null; hours: DepartmentHours | null; active: boolean }[]
  >`
    select s.id, s.routing, d.hours, d.id is not null and d.archived_at is null as active
    from service_instances s
    left join departments d on s.routing->>'mode' = 'DEPARTMENT' and d.id = (s.routing->>'departmentId')::uuid
    where s.id = any(${uuidArray(ids)}::uuid[])`;
  const places = new Map<string, Place>();
  for (const s of found) {
    const r = s.routing;
    if (!r || r.mode === "GLOBAL") places.set(s.id, { departmentId: null, menu: null });
    else if (r.mode === "MENU") places.set(s.id, { departmentId: null, menu: r });
    else if (s.active && isOpenAt(s.hours, ctx.now(), ctx.config.timezone))
      places.set(s.id, { departmentId: r.departmentId, menu: null });
  }
  return places;
}
