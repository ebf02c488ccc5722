import { messages } from "@elsehu/db";
import type { InteractiveInput } from "@elsehu/providers";
import { addJob } from "../jobs/add-job";
import type { Tx } from "../shared/context";
import { bug } from "../shared/errors";
import { publishMessageCreated } from "./message-events";
import { touchConversation } from "./touch-conversation";

/** Why the platform wrote to the customer by itself (content.auto). */
export type AutoKind = "menu" | "out_of_hours" | "greeting" | "farewell" | "csat";

export type AutoDraft = { kind: AutoKind; text: string; interactive?: InteractiveInput };

/**
 * Queues a message the platform sends by itself (menu, out-of-hours notice,
 * greeting, farewell, satisfaction question) in the caller's transaction: an
 * OUT message with no author, its send job, `message.created`. Meta numbers get
 * the choices as reply buttons or a list; Evolution the numbered text. It is not
 * an operator's reply, so the first response time is not stamped.
 */
export async function queueAutomatic(
  tx: Tx,
  conv: { id: string; instanceId: string; operatorId: string | null },
  provider: "META" | "EVOLUTION",
  draft: AutoDraft,
  now: Date,
): Promise<string> {
  const interactive = draft.interactive && provider === "META" ? draft.interactive : null;
  const [row] = await tx
    .insert(messages)
    .values({
      conversationId: conv.id,
      instanceId: conv.instanceId,
      direction: "OUT",
      type: interactive ? "interactive" : "text",
      body: interactive ? interactive.body : (draft.interactive?.fallbackText ?? draft.text),
      media: null,
      content: interactive ? { auto: draft.kind, interactive } : { auto: draft.kind },
      status: "QUEUED",
      authorId: null,
      createdAt: now,
    })
    .returning({ id: messages.id });
  if (!row) throw bug("automatic message insert returned nothing");
  // One queue per conversation: a farewell and the question after it reach the customer in that order.
  await addJob(tx, "messages/send_message", { messageId: row.id }, { maxAttempts: 5, queueName: `auto:${conv.id}` });
  await touchConversation(tx, conv.id, { direction: "OUT", at: now, human: false });
  await publishMessageCreated(tx, {
    messageId: row.id,
    conversationId: conv.id,
    operatorId: conv.operatorId,
    direction: "OUT",
  });
  return row.id;
}
