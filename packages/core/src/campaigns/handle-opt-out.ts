import { contacts } from "@elsehu/db";
import { eq } from "drizzle-orm";
import { addJob } from "../jobs/add-job";
import type { Tx } from "../shared/context";

export const DEFAULT_OPT_OUT_KEYWORDS = ["SAIR", "PARAR", "STOP", "CANCELAR"];
export const OPT_OUT_ACK_TEXT =
  "Pronto! Você não receberá mais mensagens de campanhas deste número. Se mudar de ideia, é só nos chamar.";

/** "  Sair! " -> "SAIR": case, accents, surrounding spaces and punctuation do not matter. */
export function normalizeKeyword(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .trim()
    .replace(/\s+/g, " ")
    .toUpperCase();
}

export function isOptOutKeyword(text: string, keywords: readonly string[] = DEFAULT_OPT_OUT_KEYWORDS): boolean {
  const said = normalizeKeyword(text);
  return said.length > 0 && keywords.some((k) => normalizeKeyword(k) === said);
}

/**
 * Called by the inbound pipeline (ingestInbound), in the transaction that stores the message:
 * when the whole message is an opt-out keyword, the contact is opted out (every
 * campaign skips him from the next claim on) and an acknowledgement is queued in the
 * same transaction. Returns whether it was an opt-out. Pass `ctx.config.optOutKeywords`.
 */
export async function handleOptOutKeyword(
  tx: Tx,
  input: { contactId: string; instanceId: string; text: string; keywords?: readonly string[]; now?: Date },
): Promise<boolean> {
  if (!isOptOutKeyword(input.text, input.keywords ?? DEFAULT_OPT_OUT_KEYWORDS)) return false;
  const now = input.now ?? new Date();
  const [row] = await tx
    .select({ optedOutAt: contacts.optedOutAt })
    .from(contacts)
    .where(eq(contacts.id, input.contactId))
    .for("update");
  if (!row) return false;
  if (!row.optedOutAt) {
    await tx.update(contacts).set({ optedOutAt: now, updatedAt: now }).where(eq(contacts.id, input.contactId));
  }
  // Acknowledge every time: a customer who repeats SAIR wants to hear that it worked.
  await addJob(
    tx,
    "campaigns/ack_opt_out",
    { contactId: input.contactId, instanceId: input.instanceId },
    { maxAttempts: 5 },
  );
  return true;
}
