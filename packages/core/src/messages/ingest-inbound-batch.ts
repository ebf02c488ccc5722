import type { Sql } from "@elsehu/db";
import type { InboundMessage, WebhookEvent } from "@elsehu/providers";
import type { TransactionSql } from "postgres";
import { isOptOutKeyword } from "../campaigns/handle-opt-out";
import { attributionStart } from "../campaigns/mark-campaign-reply";
import { conversationEvents } from "../conversations/conversation-events";
import type { ConversationRow } from "../conversations/find-or-open";
import { requestAssignment } from "../conversations/request-assignment";
import { eventsCte, publishEvents } from "../events/publish";
import type { InstanceRow } from "../instances/shape";
import { menuPicks } from "../routing/menu-picks";
import type { CoreContext } from "../shared/context";
import { contentOf } from "./ingest-inbound";
import { senderIdentities } from "./upsert-sender";

/** `webhookId`: the stored webhook (webhook_events row) the message came in, if any. */
export type PlainInbound = { instance: InstanceRow; event: InboundMessage; webhookId?: number };

/** Kinds that change another message or the contact: never a plain insert. */
const CHANGES_OR_NOTICES = new Set(["reaction", "edit", "revoke", "system"]);

/**
 * A customer's message without media: storing it needs no provider call, so many
 * can be stored by one statement (ingestPlainInbound). Echoes of our own sends
 * (`fromMe`), media and opt-out keywords (which opt the contact out and queue an
 * acknowledgement) keep the one-by-one path (ingestInbound).
 */
export function isPlainInbound(event: WebhookEvent, optOutKeywords?: readonly string[]): event is InboundMessage {
  return (
    event.kind === "message" &&
    !event.fromMe &&
    !event.media &&
    !CHANGES_OR_NOTICES.has(event.type) &&
    !event.referral &&
    !(event.type === "text" && event.body && isOptOutKeyword(event.body, optOutKeywords))
  );
}

/**
 * The common case of ingestInbound for many messages in ONE statement (one round
 * trip, one commit): a sender whose every identity is already known, all of the
 * same contact, writing to an active (WAITING or OPEN) conversation. It inserts the
 * messages (deduped on instance + provider id), stamps the conversations as
 * touchConversation does, counts a campaign reply as markCampaignReply does, and
 * publishes `message.created` (events rows + NOTIFY), exactly what ingestInbound
 * would have written for them.
 *
 * Returns, per input, whether it was handled (stored now, or already stored): the
 * others (new sender, new identity, a name for a contact without one, no active conversation, repeated provider id)
 * must go through ingestInbound, which creates what is missing. An answer to the
 * number's menu is taken here only when menuPicks found it plain (an option
 * matched, its department open): the same statement sends the conversation to
 * that department, and the same transaction announces it (`conversation.routed`)
 * and asks for assignment, as answerMenu would; any other message to a
 * conversation in the menu goes through answerMenu. Conversations are
 * locked in (queued_at, id) order, the order assignment locks waiting ones in, so
 * neither concurrent batches nor assignment can deadlock with them; one closed
 * meanwhile is re-checked under its lock (its message then opens a new conversation).
 */
export async function ingestPlainInbound(
  ctx: Pick<CoreContext, "sql" | "now" | "config">,
  items: PlainInbound[],
): Promise<{ handled: boolean[] }> {
  const picks = await menuPicks(ctx, items);
  const seen = new Set<string>();
  const rows = items.flatMap(({ instance, event }, ord) => {
    const ids = senderIdentities(event.from);
    const key = `${instance.id} ${event.providerMessageId}`;
    if (ids.length === 0 || seen.has(key)) return [];
    seen.add(key);
    return [
      {
        ord,
        instance_id: instance.id,
        provider: instance.provider,
        ...Object.fromEntries(ids.map((i) => [i.kind, i.externalId])),
        // A name the contact lacks (one an operator started by number) sends the message one by one, which fills it.
        name: event.from.name || null,
        pmid: event.providerMessageId,
        type: event.type,
        body: event.body ?? null,
        content: contentOf(event),
        reply_pmid: event.replyToProviderMessageId ?? null,
        created_at: event.timestamp.toISOString(),
        menu_dep: picks[ord] ?? null,
      },
    ];
  });
  const handled = items.map(() => false);
  if (rows.length === 0) return { handled };
  const now = ctx.now();
  const since = attributionStart(now).toISOString();
  const answers = rows.some((r) => r.menu_dep !== null);
  // One JSON parameter rather than JS arrays (see SharedRateLimiter.sync for why).
  const statement = (q: Sql | TransactionSql) => q<{ handled: number[]; routed: Routed[] }[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(ord int, instance_id uuid, provider text,
        wa_id text, bsuid text, jid text, lid text, name text, pmid text, type text, body text, content jsonb, reply_pmid text,
        created_at timestamptz, menu_dep uuid)
    ), ident as materialized (
      -- One unique-index lookup per identity the sender carries (none: null).
      select i.ord, i.instance_id, i.wa_id, i.bsuid, i.jid, i.lid, i.name, ${identityLookups(q)}
      from input i
    ), known as materialized (
      -- Every identity known, all of one contact, and that contact's active conversation on the instance.
      select d.ord, d.contact_id, (select c.id from conversations c where c.contact_id = d.contact_id
          and c.instance_id = d.instance_id and c.status in ('WAITING', 'OPEN')) as conversation_id
      from (select *, coalesce(by_wa_id, by_bsuid, by_jid, by_lid) as contact_id from ident) d
      where d.contact_id is not null
        and (d.wa_id is null or d.by_wa_id = d.contact_id) and (d.bsuid is null or d.by_bsuid = d.contact_id)
        and (d.jid is null or d.by_jid = d.contact_id) and (d.lid is null or d.by_lid = d.contact_id)
        and (d.name is null or exists (select 1 from contacts ct where ct.id = d.contact_id and ct.name is not null))
    ), target as materialized (
      select i.ord, i.instance_id, i.pmid, i.type, i.body, i.content, i.reply_pmid, i.created_at,
        c.id as conversation_id, c.operator_id, k.contact_id, i.menu_dep, c.routing_state is not null as in_menu
      from known k
      join input i on i.ord = k.ord
      -- status as text: a condition that implies the partial indexes' predicate let the planner scan every
      -- active conversation for each message instead of fetching each by its primary key.
      -- A conversation in the number's menu takes here only an answer menuPicks picked (else answerMenu).
      join conversations c on c.id = k.conversation_id and c.status::text in ('WAITING', 'OPEN')
        and (c.routing_state is null or (c.routing_state = 'MENU' and c.status::text = 'WAITING' and i.menu_dep is not null))
      order by c.queued_at, c.id
      for no key update of c
    ), ins as (
      insert into messages (conversation_id, instance_id, direction, type, body, content, provider_message_id,
        reply_to_id, status, created_at)
      select t.conversation_id, t.instance_id, 'IN', t.type, t.body, t.content, t.pmid,
        (select r.id from messages r where r.instance_id = t.instance_id and r.provider_message_id = t.reply_pmid),
        'DELIVERED', t.created_at
      from target t order by t.ord
      on conflict (instance_id, provider_message_id) do nothing
      returning id, instance_id, provider_message_id, conversation_id, created_at
    ), replied as (
      -- The customer's first message after the campaign that last reached him: his reply (markCampaignReply).
      update campaign_recipients r set replied_at = ${now.toISOString()}::timestamptz
      from (
        select x.conversation_id, (select r2.id from campaign_recipients r2 join campaigns k on k.id = r2.campaign_id
            where r2.contact_id = x.contact_id and k.instance_id = x.instance_id
              and r2.status in ('SENT', 'DELIVERED', 'READ', 'UNKNOWN') and r2.attempted_at >= ${since}::timestamptz
            order by r2.attempted_at desc limit 1) as recipient_id
        from (select distinct t.conversation_id, t.contact_id, t.instance_id from target t
          where t.conversation_id in (select conversation_id from ins)) x
      ) x
      where r.id = x.recipient_id and r.replied_at is null
      returning x.conversation_id, r.campaign_id
    ), touched as (
      update conversations c set
        last_message_at = greatest(c.last_message_at, x.at),
        last_inbound_at = greatest(c.last_inbound_at, x.at),
        unread_count = c.unread_count + x.n,
        campaign_id = coalesce(c.campaign_id, (select y.campaign_id from replied y where y.conversation_id = c.id)),
        -- The menu's answer: the conversation enters the department it picked (routeToDepartment).
        department_id = coalesce(x.menu_dep, c.department_id),
        routing_state = case when x.menu_dep is null then c.routing_state end
      from (select s.conversation_id, max(s.created_at) as at, count(*)::int as n,
          (select t.menu_dep from target t where t.conversation_id = s.conversation_id and t.in_menu
            and t.menu_dep is not null order by t.ord limit 1) as menu_dep
        from ins s group by s.conversation_id) x
      where c.id = x.conversation_id
      returning c.id, c.status, c.operator_id, c.contact_id, c.instance_id, c.department_id, x.menu_dep is not null as routed
    ), ${eventsCte(q, {
      kind: "message.created",
      from: q`ins m join target t on t.instance_id = m.instance_id and t.pmid = m.provider_message_id
        order by t.ord`,
      audience: q`case when t.operator_id is null then 'STAFF' else 'USER' end`,
      userId: q`t.operator_id`,
      payload: {
        messageId: q`m.id`,
        conversationId: q`m.conversation_id`,
        operatorId: q`t.operator_id`,
        direction: q`'IN'::text`,
      },
    })}
    select array(select ord from target) as handled, (select count(*) from ev_notified)::int as notified,
      (select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'status', r.status, 'operatorId', r.operator_id,
          'contactId', r.contact_id, 'instanceId', r.instance_id, 'departmentId', r.department_id)), '[]'::jsonb)
        from touched r where r.routed) as routed`;
  // Plain messages only: one statement, one commit. With menu answers, their routing commits with them.
  const [result] = answers
    ? await ctx.sql.begin(async (tx) => {
        const out = await statement(tx);
        const routed = out[0]?.routed ?? [];
        if (routed.length > 0) {
          await publishEvents(
            tx,
            routed.flatMap((c) => conversationEvents("conversation.routed", c, null, { outcome: "answer" })),
          );
          await requestAssignment(tx, "queued");
        }
        return out;
      })
    : await statement(ctx.sql);
  for (const ord of result?.handled ?? []) handled[ord] = true;
  return { handled };
}

/**
 * Select-list columns `by_wa_id`, `by_bsuid`, `by_jid`, `by_lid`: the contact each identity of input row `i`
 * (columns provider, wa_id, bsuid, jid, lid) belongs to, one unique-index lookup each (none: null).
 */
export function identityLookups(q: Sql | TransactionSql) {
  const by = (kind: string, column: string) => q`(select contact_id from contact_identities
    where provider = i.provider::provider_kind and kind = ${kind} and external_id = i.${q(column)})`;
  return q`${by("wa_id", "wa_id")} as by_wa_id, ${by("bsuid", "bsuid")} as by_bsuid,
    ${by("jid", "jid")} as by_jid, ${by("lid", "lid")} as by_lid`;
}

/** A conversation the batch sent from the menu to a department. */
type Routed = Pick<ConversationRow, "id" | "status" | "operatorId" | "contactId" | "instanceId" | "departmentId">;
