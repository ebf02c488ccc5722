import type { StatusUpdate } from "@elsehu/providers";
import { eventsCte } from "../events/publish";
import type { CoreContext } from "../shared/context";
import { STATUS_TARGET } from "./apply-status";

export type StatusItem = { instanceId: string; update: StatusUpdate };

const RANK = (column: string) =>
  `(case ${column} when 'QUEUED' then 0 when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 else 9 end)`;

/**
 * applyStatus for many statuses in ONE statement (one round trip, one commit): the
 * bulk of a number's webhooks are the sent / delivered / read ticks of its messages.
 * It moves each chat message forward by the same rule as applyStatus and publishes
 * `message.status` for each. Messages are locked in id order, so concurrent batches
 * cannot deadlock. A late or repeated tick of a chat message (its "sent" after the
 * send recorded SENT, say) changes nothing, as with applyStatus, and counts as
 * handled. Ticks of one message are applied in their order: its second tick goes in
 * a second statement (a round), and so on. Returns, per input, whether it was
 * handled: the others (a message not found, a campaign's) go one by one through
 * applyStatus, which knows what to do with them.
 */
export async function applyStatusBatch(
  ctx: Pick<CoreContext, "sql">,
  items: StatusItem[],
): Promise<{ handled: boolean[] }> {
  const handled = items.map(() => false);
  // Round k: the k-th tick of each message.
  const rounds: number[][] = [];
  const count = new Map<string, number>();
  for (const [ord, { instanceId, update }] of items.entries()) {
    const key = `${instanceId} ${update.providerMessageId}`;
    const k = count.get(key) ?? 0;
    count.set(key, k + 1);
    const round = rounds[k] ?? [];
    round.push(ord);
    rounds[k] = round;
  }
  for (const round of rounds) {
    for (const ord of await applyRound(
      ctx,
      round.map((ord) => ({ ord, item: items[ord] as StatusItem })),
    )) {
      handled[ord] = true;
    }
  }
  return { handled };
}

/** One statement for ticks of distinct messages; returns the ords handled. */
async function applyRound(ctx: Pick<CoreContext, "sql">, items: Array<{ ord: number; item: StatusItem }>) {
  const rows = items.map(({ ord, item: { instanceId, update } }) => {
    const target = STATUS_TARGET[update.status];
    const failed = target === "FAILED";
    return {
      ord,
      instance_id: instanceId,
      pmid: update.providerMessageId,
      target,
      at: update.timestamp.toISOString(),
      failed,
      error_code: failed ? (update.error?.code ?? "FAILED") : null,
      error_message: failed ? (update.error?.message ?? "The provider reported a failure") : null,
    };
  });
  if (rows.length === 0) return [];
  const sql = ctx.sql;
  const [result] = await sql<{ handled: number[] }[]>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(ord int, instance_id uuid, pmid text,
        target message_status, at timestamptz, failed boolean, error_code text, error_message text)
    ), locked as (
      select m.id, i.ord, i.target, i.at, i.failed, i.error_code, i.error_message
      from input i join messages m on m.instance_id = i.instance_id and m.provider_message_id = i.pmid
      where m.direction = 'OUT' and (
        (m.status <> 'FAILED' and i.failed and ${sql.unsafe(RANK("m.status"))} < 3)
        or (m.status <> 'FAILED' and not i.failed and ${sql.unsafe(RANK("m.status"))} < ${sql.unsafe(RANK("i.target"))})
        or (m.status = 'FAILED' and m.error_code = 'UNKNOWN_AFTER_CRASH' and not i.failed))
      order by m.id
      for update of m
    ), upd as (
      update messages m set
        status = l.target,
        error_code = case when l.failed then l.error_code else null end,
        error_message = case when l.failed then l.error_message else null end,
        sent_at = case when l.target in ('SENT', 'DELIVERED', 'READ') then coalesce(m.sent_at, l.at) else m.sent_at end,
        delivered_at = case when l.target in ('DELIVERED', 'READ') then coalesce(m.delivered_at, l.at) else m.delivered_at end,
        read_at = case when l.target = 'READ' then coalesce(m.read_at, l.at) else m.read_at end
      from locked l
      where m.id = l.id
      returning m.id, m.conversation_id, l.ord, l.target
    ), ${eventsCte(sql, {
      kind: "message.status",
      from: sql`upd u join conversations c on c.id = u.conversation_id order by u.ord`,
      audience: sql`case when c.operator_id is null then 'STAFF' else 'USER' end`,
      userId: sql`c.operator_id`,
      payload: {
        messageId: sql`u.id`,
        conversationId: sql`u.conversation_id`,
        operatorId: sql`c.operator_id`,
        status: sql`u.target::text`,
      },
    })}
    select array(select i.ord from input i where exists (select 1 from messages m
        where m.instance_id = i.instance_id and m.provider_message_id = i.pmid)) as handled,
      (select count(*) from ev_notified)::int as notified`;
  return result?.handled ?? [];
}
