import { messages } from "@elsehu/db";
import { z } from "zod";
import { lockForAction } from "../conversations/access";
import type { Actor, CoreContext } from "../shared/context";
import { bug } from "../shared/errors";
import { publishMessageCreated } from "./message-events";

/** Messages of this type are internal notes: kept in the history, never sent. */
export const NOTE_TYPE = "note";

export const AddNoteInput = z.object({
  conversationId: z.string().uuid(),
  body: z.string().trim().min(1, "The note is empty").max(2000),
});
export type AddNoteInput = z.input<typeof AddNoteInput>;

/**
 * An internal note in a conversation's timeline: written by its operator or by
 * staff, read by whoever may read the conversation (`readableBy`), never sent to
 * the customer. Stored as a message of type "note" without a send job, so no
 * worker ever hands it to a provider, and it does not count as a response.
 * `message.created` tells the conversation's operator and staff at once.
 */
export async function addNote(ctx: CoreContext, actor: Actor, raw: AddNoteInput) {
  const input = AddNoteInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const conv = await lockForAction(tx, actor, input.conversationId);
    const [row] = await tx
      .insert(messages)
      .values({
        conversationId: conv.id,
        instanceId: conv.instanceId,
        direction: "OUT",
        type: NOTE_TYPE,
        body: input.body,
        status: "SENT",
        authorId: actor.id,
        createdAt: ctx.now(),
      })
      .returning();
    if (!row) throw bug("note insert returned nothing");
    await publishMessageCreated(tx, {
      messageId: row.id,
      conversationId: conv.id,
      operatorId: conv.operatorId,
      direction: "OUT",
    });
    return { id: row.id, conversationId: row.conversationId, type: row.type, createdAt: row.createdAt };
  });
}
