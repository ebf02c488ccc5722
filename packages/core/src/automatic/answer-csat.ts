import { conversations } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { sql } from "drizzle-orm";
import { conversationEvents } from "../conversations/conversation-events";
import type { ConversationRow } from "../conversations/find-or-open";
import { publishEvents } from "../events/publish";
import { matchChoice } from "../routing/menu";
import type { Tx } from "../shared/context";
import { CSAT_ANSWER_WINDOW_MS, CSAT_ID_PREFIX, CSAT_TITLES } from "./csat";

/**
 * A customer with no active conversation on the number answers the satisfaction
 * question of his last closed one (within 24 h): the score 1–5 it picks, or null
 * when the message is not an answer (it then opens a new conversation as usual).
 * The closed conversation is locked, so an answer counts once.
 */
export async function csatAnswerTarget(
  tx: Tx,
  input: { contactId: string; instanceId: string; now: Date; event: Pick<InboundMessage, "body" | "reply"> },
): Promise<{ conversation: ConversationRow; score: number } | null> {
  const since = new Date(input.now.getTime() - CSAT_ANSWER_WINDOW_MS).toISOString();
  const [pending] = await tx.execute<{ id: string }>(sql`
    select c.id from conversations c
    where c.contact_id = ${input.contactId} and c.instance_id = ${input.instanceId}
      and c.csat_asked_at is not null and c.csat_answered_at is null and c.csat_asked_at >= ${since}::timestamptz
      and not exists (select 1 from conversations a where a.contact_id = c.contact_id
        and a.instance_id = c.instance_id and a.status in ('WAITING', 'OPEN'))
    order by c.csat_asked_at desc limit 1
    for update of c`);
  if (!pending) return null;
  const score = matchChoice({ replyId: input.event.reply?.id, text: input.event.body }, CSAT_TITLES, CSAT_ID_PREFIX);
  if (!score) return null;
  const [conversation] = await tx
    .update(conversations)
    .set({ csatScore: score, csatAnsweredAt: input.now })
    .where(sql`${conversations.id} = ${pending.id}`)
    .returning();
  if (!conversation) return null;
  await publishEvents(tx, conversationEvents("conversation.rated", conversation, null, { csatScore: score }));
  return { conversation, score };
}
