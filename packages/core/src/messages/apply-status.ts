import type { StatusUpdate } from "@elsehu/providers";
import { sql } from "drizzle-orm";
import type { MessageStatus } from "../events/catalog";
import type { Tx } from "../shared/context";
import { hasSendInFlight } from "./in-flight";
import { publishMessageStatus, RetryLater } from "./message-events";

/** The message status each provider status moves to. */
export const STATUS_TARGET: Record<StatusUpdate["status"], MessageStatus> = {
  sent: "SENT",
  delivered: "DELIVERED",
  read: "READ",
  played: "READ",
  failed: "FAILED",
};

/** The send outcome we could not know after a worker died during the provider call. */
export const UNKNOWN_AFTER_CRASH = "UNKNOWN_AFTER_CRASH";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const rank = (column: string) =>
  sql.raw(
    `(case ${column} when 'QUEUED' then 0 when 'SENT' then 1 when 'DELIVERED' then 2 when 'READ' then 3 else 9 end)`,
  );

/**
 * Moves an outbound message's status forward only: QUEUED < SENT < DELIVERED < READ.
 * FAILED ends anything before READ and keeps the provider's code and reason; nothing
 * moves a FAILED message except proof that a send we marked UNKNOWN_AFTER_CRASH did
 * go out. Evolution stamps statuses with receive time, so order comes from rank,
 * never from timestamps. Returns whether the message changed.
 */
export async function applyStatus(tx: Tx, instanceId: string, update: StatusUpdate): Promise<boolean> {
  const target = STATUS_TARGET[update.status];
  const at = update.timestamp.toISOString();
  const failed = target === "FAILED";
  const apply = () =>
    tx.execute<{ id: string; conversation_id: string; operator_id: string | null }>(sql`
      update messages m set
        status = ${target}::message_status,
        error_code = case when ${failed} then ${update.error?.code ?? "FAILED"} else null end,
        error_message = case when ${failed} then ${update.error?.message ?? "The provider reported a failure"} else null end,
        sent_at = case when ${target} in ('SENT', 'DELIVERED', 'READ') then coalesce(m.sent_at, ${at}::timestamptz) else m.sent_at end,
        delivered_at = case when ${target} in ('DELIVERED', 'READ') then coalesce(m.delivered_at, ${at}::timestamptz) else m.delivered_at end,
        read_at = case when ${target} = 'READ' then coalesce(m.read_at, ${at}::timestamptz) else m.read_at end
      from conversations c
      where c.id = m.conversation_id and m.instance_id = ${instanceId}
        and m.provider_message_id = ${update.providerMessageId} and m.direction = 'OUT'
        and (
          (m.status <> 'FAILED' and ${failed} and ${rank("m.status")} < 3)
          or (m.status <> 'FAILED' and not ${failed} and ${rank("m.status")} < ${rank(`'${target}'`)})
          or (m.status = 'FAILED' and m.error_code = ${UNKNOWN_AFTER_CRASH} and not ${failed})
        )
      returning m.id, m.conversation_id, c.operator_id`);
  let rows = await apply();
  if (rows.length === 0) {
    const [known] = await tx.execute(
      sql`select 1 from messages where instance_id = ${instanceId} and provider_message_id = ${update.providerMessageId}`,
    );
    if (known) return false;
    // Meta echoes biz_opaque_callback_data (our message id): adopt the provider id of a send
    // whose response we never saw (worker died during the call).
    if (update.callbackData && UUID.test(update.callbackData)) {
      const adopted = await tx.execute(sql`
        update messages set provider_message_id = ${update.providerMessageId}
        where id = ${update.callbackData} and instance_id = ${instanceId} and provider_message_id is null
        returning id`);
      if (adopted.length > 0) rows = await apply();
    }
    if (rows.length === 0 && (await hasSendInFlight(tx, instanceId))) {
      throw new RetryLater(`status for unknown ${update.providerMessageId} while a send is in flight`);
    }
  }
  for (const row of rows) {
    await publishMessageStatus(tx, {
      messageId: row.id,
      conversationId: row.conversation_id,
      operatorId: row.operator_id,
      status: target,
    });
  }
  return rows.length > 0;
}
