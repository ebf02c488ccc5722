import { contactIdentities, contacts, messages } from "@elsehu/db";
import type { ReplyTarget } from "@elsehu/providers";
import { and, eq } from "drizzle-orm";
import type { Tx } from "../shared/context";

/**
 * Where a send goes. Meta: the wa_id it gave us (it may have rewritten a BR number),
 * else the phone, else the business-scoped user id. Evolution: the JID it used,
 * else the phone, else the @lid.
 */
export async function recipientOf(tx: Tx, provider: "META" | "EVOLUTION", contactId: string): Promise<string | null> {
  // One round trip: the contact's phone on each of its identities of the provider (or alone, when none).
  const rows = await tx
    .select({ phone: contacts.phone, kind: contactIdentities.kind, externalId: contactIdentities.externalId })
    .from(contacts)
    .leftJoin(
      contactIdentities,
      and(eq(contactIdentities.contactId, contacts.id), eq(contactIdentities.provider, provider)),
    )
    .where(eq(contacts.id, contactId));
  const phone = rows[0]?.phone;
  const of = (kind: string) => rows.find((i) => i.kind === kind)?.externalId ?? undefined;
  if (provider === "META") return of("wa_id") ?? phone ?? of("bsuid") ?? null;
  // A phone JID's digits are the number WhatsApp uses (BR numbers may lack the ninth digit there).
  return of("jid")?.replace(/@s\.whatsapp\.net$/, "") ?? phone ?? of("lid") ?? null;
}

/** The quoted message in the shape the provider needs (Evolution quotes by key and chat). */
export async function replyTargetOf(tx: Tx, replyToId: string | null, to: string): Promise<ReplyTarget | undefined> {
  if (!replyToId) return undefined;
  const [target] = await tx
    .select({ providerMessageId: messages.providerMessageId, direction: messages.direction, body: messages.body })
    .from(messages)
    .where(eq(messages.id, replyToId));
  if (!target?.providerMessageId) return undefined;
  const reply: ReplyTarget = { providerMessageId: target.providerMessageId, fromMe: target.direction === "OUT" };
  if (to.includes("@")) reply.remoteJid = to;
  if (target.body) reply.body = target.body;
  return reply;
}
