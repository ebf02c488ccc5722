import { messages } from "@elsehu/db";
import { NOTE_TYPE } from "../messages/add-note";
import { publishMessageCreated } from "../messages/message-events";
import type { Actor, Tx } from "../shared/context";
import { bug } from "../shared/errors";
import type { ConversationRow } from "./find-or-open";

/** What a transfer note says about the hand-over, beside its text (`content.transfer`). */
export type TransferNoteContent = { toOperatorName: string | null; toDepartmentName: string | null };

/**
 * A transfer's note as an internal note in the conversation's timeline (type
 * "note": never sent, read by whoever may read the conversation, kept in
 * exports), marked `content.transfer` so the console shows it as a hand-over.
 * `message.created` reaches the conversation's new operator (or staff, queued).
 */
export async function addTransferNote(
  tx: Tx,
  input: {
    conv: ConversationRow;
    actor: Actor;
    note: string;
    toOperatorName: string | null;
    toDepartmentName: string | null;
    now: Date;
  },
) {
  const transfer: TransferNoteContent = {
    toOperatorName: input.toOperatorName,
    toDepartmentName: input.toDepartmentName,
  };
  const [row] = await tx
    .insert(messages)
    .values({
      conversationId: input.conv.id,
      instanceId: input.conv.instanceId,
      direction: "OUT",
      type: NOTE_TYPE,
      body: input.note,
      content: { transfer },
      status: "SENT",
      authorId: input.actor.id,
      createdAt: input.now,
    })
    .returning({ id: messages.id });
  if (!row) throw bug("transfer note insert returned nothing");
  await publishMessageCreated(tx, {
    messageId: row.id,
    conversationId: input.conv.id,
    operatorId: input.conv.operatorId,
    direction: "OUT",
  });
}
