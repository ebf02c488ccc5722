import { conversations } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { queueAutomatic } from "../messages/queue-automatic";
import { renderAutoText } from "../routing/render-text";
import type { Tx } from "../shared/context";
import { csatMessage, DEFAULT_CSAT_QUESTION } from "./csat";
import { canSendFreeText, textContext } from "./text-context";

/**
 * After an operator closes a conversation of a department: its farewell, then,
 * if the department asks, the satisfaction question (1–5), in the closing
 * transaction. On Meta, past the 24-hour window neither is attempted (free text
 * would be refused); the question is then not asked either.
 */
export async function sayFarewell(tx: Tx, conversationId: string, now: Date): Promise<void> {
  const c = await textContext(tx, conversationId);
  if (!c?.department || !canSendFreeText(c, now)) return;
  const vars = { nome: c.contactName, operador: c.operatorName, protocolo: c.protocol };
  const farewell = c.department.farewellMessage ? renderAutoText(c.department.farewellMessage, vars) : "";
  if (farewell) await queueAutomatic(tx, c.conversation, c.provider, { kind: "farewell", text: farewell }, now);
  if (!c.department.csatEnabled) return;
  const question = renderAutoText(c.department.csatQuestion || DEFAULT_CSAT_QUESTION, vars) || DEFAULT_CSAT_QUESTION;
  // Later than the farewell, so the customer reads them in order.
  const at = new Date(now.getTime() + 1);
  await queueAutomatic(
    tx,
    c.conversation,
    c.provider,
    { kind: "csat", text: question, interactive: csatMessage(question) },
    at,
  );
  await tx.update(conversations).set({ csatAskedAt: now }).where(eq(conversations.id, conversationId));
}
