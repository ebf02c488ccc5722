import { type MessageEdit, messages } from "@elsehu/db";
import type { InboundMessage } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import type { Tx } from "../shared/context";
import { publishMessageUpdated } from "./message-events";
import { lockTargetMessage } from "./message-target";

/**
 * The customer edited a message: the original takes the new text (a caption for media),
 * the text it had goes to its history, and it is marked edited. An edit without new text
 * (Meta's `unsupported` edit) only marks it. A deleted message stays deleted; a replayed
 * edit changes nothing. Returns false when there is no target to change (the caller
 * then shows the edit as a notice line).
 */
export async function applyEdit(
  tx: Tx,
  instanceId: string,
  event: InboundMessage,
  opts: { finalAttempt: boolean },
): Promise<boolean> {
  const targetId = event.edit?.targetProviderMessageId;
  if (!targetId) return false;
  const target = await lockTargetMessage(tx, instanceId, targetId, opts.finalAttempt);
  if (!target) return false;
  const m = target.message;
  if (m.deletedAt) return true;
  const body = event.edit?.body;
  if (m.editedAt && m.editedAt >= event.timestamp) return true;
  const history: MessageEdit[] = [...(m.editHistory ?? [])];
  const changes: Partial<typeof messages.$inferInsert> = { editedAt: event.timestamp };
  if (body !== undefined && body !== m.body) {
    history.push({ body: m.body, at: (m.editedAt ?? m.createdAt).toISOString() });
    changes.body = body;
    changes.editHistory = history.slice(-20);
    if (m.media) changes.media = { ...m.media, caption: body };
  }
  await tx.update(messages).set(changes).where(eq(messages.id, m.id));
  await publishMessageUpdated(tx, {
    messageId: m.id,
    conversationId: m.conversationId,
    operatorId: target.operatorId,
    change: "edit",
  });
  return true;
}
