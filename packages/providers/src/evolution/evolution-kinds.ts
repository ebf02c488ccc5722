import type { InboundMessage, SharedContact, WebhookEvent } from "../types";

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose | undefined => (typeof v === "object" && v !== null ? (v as Loose) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A vCard's display name (FN) and phones (`TEL;waid=<digits>:<display>`), as WhatsApp writes them. */
export function parseVcard(vcard: string, fallbackName?: string): SharedContact {
  const lines = vcard.replace(/\r\n[ \t]/g, "").split(/\r?\n/);
  const fn = lines.find((l) => /^FN[:;]/i.test(l));
  const name = fn ? fn.slice(fn.indexOf(":") + 1).trim() : undefined;
  const phones: SharedContact["phones"] = [];
  for (const line of lines) {
    const m = /^(?:[\w-]+\.)?TEL([^:]*):(.+)$/i.exec(line);
    if (!m) continue;
    const waId = /waid=(\d+)/i.exec(m[1] ?? "")?.[1];
    const phone = (m[2] ?? "").trim();
    phones.push(waId ? { phone, waId } : { phone });
    if (phones.length >= 20) break;
  }
  return { name: name || fallbackName || phones[0]?.phone || "Contato", phones };
}

/** `contactMessage` / `contactsArrayMessage` as shared cards; null when the message has neither. */
export function evolutionContacts(message: Loose): SharedContact[] | null {
  const single = obj(message.contactMessage);
  if (single) return [parseVcard(str(single.vcard) ?? "", str(single.displayName))];
  const array = obj(message.contactsArrayMessage);
  if (!array) return null;
  const list = Array.isArray(array.contacts) ? array.contacts : [];
  return list.slice(0, 50).map((c) => parseVcard(str(obj(c)?.vcard) ?? "", str(obj(c)?.displayName)));
}

/**
 * `messages.edited`: `data` is the protocolMessage `{key:{id}, editedMessage:{conversation |
 * extendedTextMessage:{text}}, timestampMs}`. `key.id` is the edited message; `fromMe` may be
 * wrong (the contact's edit shows as ours), so only the id is used. Without an edited
 * message (a revoke passing the edit path) it is no edit: nothing.
 */
export function evolutionEdit(data: unknown, received: Date): WebhookEvent[] {
  const d = obj(data);
  const protocol = obj(d?.protocolMessage) ?? d;
  const id = str(obj(protocol?.key)?.id);
  const edited = obj(protocol?.editedMessage) ?? obj(obj(d?.editedMessage)?.message);
  if (!id || !edited) return [];
  const body =
    str(edited.conversation) ??
    str(obj(edited.extendedTextMessage)?.text) ??
    str(obj(edited.imageMessage)?.caption) ??
    str(obj(edited.videoMessage)?.caption);
  const ms = Number(protocol?.timestampMs);
  const event: InboundMessage = {
    kind: "message",
    providerMessageId: `edit:${id}:${Number.isFinite(ms) ? ms : received.getTime()}`,
    from: {},
    timestamp: Number.isFinite(ms) && ms > 0 ? new Date(ms) : received,
    type: "edit",
    edit: body ? { targetProviderMessageId: id, body } : { targetProviderMessageId: id },
  };
  return [event];
}

/** `messages.delete`: `data` is the deleted message's key (later versions add `status: "DELETED"`). */
export function evolutionDelete(data: unknown, received: Date): WebhookEvent[] {
  const d = obj(data);
  const key = obj(d?.key) ?? d;
  const id = str(key?.id);
  if (!id) return [];
  return [
    {
      kind: "message",
      providerMessageId: `revoke:${id}`,
      from: {},
      timestamp: received,
      type: "revoke",
      revoke: { targetProviderMessageId: id },
    },
  ];
}
