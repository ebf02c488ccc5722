import { sql } from "drizzle-orm";
import type { Tx } from "../shared/context";

/**
 * Stamps a conversation for a new message: last_message_at moves forward only,
 * inbound messages set last_inbound_at (the 24-hour window) and bump unread_count,
 * and the first human outbound message after assignment sets first_response_at once.
 * The single place these columns change for messages (the conversations engine owns the rest).
 */
export async function touchConversation(
  tx: Tx,
  conversationId: string,
  input: { direction: "IN" | "OUT"; at: Date; human: boolean },
): Promise<void> {
  const at = input.at.toISOString();
  const inbound = input.direction === "IN";
  const firstResponse = input.direction === "OUT" && input.human;
  await tx.execute(sql`
    update conversations set
      last_message_at = greatest(last_message_at, ${at}::timestamptz),
      last_inbound_at = case when ${inbound} then greatest(last_inbound_at, ${at}::timestamptz) else last_inbound_at end,
      unread_count = unread_count + case when ${inbound} then 1 else 0 end,
      first_response_at = case
        when ${firstResponse} and first_response_at is null and assigned_at is not null then ${at}::timestamptz
        else first_response_at end
    where id = ${conversationId}`);
}
