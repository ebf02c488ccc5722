import type { FlowReply, InboundMessage, SharedContact } from "../types";
import type { MetaMessage } from "./meta-webhook-schema";

const clean = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as T;

/** `contacts[]` of a shared card: name and phones are what a person needs; the rest is kept if present. */
export function sharedContacts(message: MetaMessage): SharedContact[] {
  return (message.contacts ?? []).map((c) => {
    const name =
      c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter(Boolean).join(" ").trim() ?? "";
    const phones = (c.phones ?? []).flatMap((p) =>
      p.phone || p.wa_id ? [clean({ phone: p.phone ?? `+${p.wa_id}`, waId: p.wa_id, type: p.type })] : [],
    );
    const contact: SharedContact = { name: name || phones[0]?.phone || "Contato", phones };
    const emails = (c.emails ?? []).flatMap((e) => (e.email ? [e.email] : []));
    if (emails.length > 0) contact.emails = emails;
    if (c.org?.company) contact.company = c.org.company;
    return contact;
  });
}

/** `nfm_reply.response_json` is a JSON string: its fields (stringified) minus the flow token. */
export function flowReply(nfm: NonNullable<NonNullable<MetaMessage["interactive"]>["nfm_reply"]>): FlowReply {
  const reply: FlowReply = clean({ name: nfm.name, body: nfm.body, fields: {} as Record<string, string> });
  reply.fields = {};
  let parsed: unknown;
  try {
    parsed = nfm.response_json ? JSON.parse(nfm.response_json) : {};
  } catch {
    parsed = {};
  }
  if (typeof parsed === "object" && parsed !== null) {
    for (const [key, value] of Object.entries(parsed).slice(0, 50)) {
      if (key === "flow_token") reply.flowToken = String(value);
      else reply.fields[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return reply;
}

/** The kinds beyond text/media/location/reaction/replies: fills `event` from `message`. */
export function fillMetaKinds(event: InboundMessage, message: MetaMessage): void {
  if (message.type === "contacts") {
    event.contacts = sharedContacts(message);
    event.body = event.contacts.map((c) => c.name).join(", ");
  } else if (message.type === "order" && message.order) {
    const o = message.order;
    event.order = clean({
      catalogId: o.catalog_id,
      text: o.text,
      items: (o.product_items ?? []).map((i) => ({
        productId: i.product_retailer_id,
        quantity: i.quantity,
        price: i.item_price,
        currency: i.currency,
      })),
    });
    if (o.text) event.body = o.text;
  } else if (message.type === "system" && message.system) {
    const s = message.system;
    event.system = clean({ type: s.type ?? "unknown", body: s.body ?? "", newWaId: s.wa_id, newUserId: s.user_id });
    if (s.body) event.body = s.body;
  } else if (message.type === "revoke" && message.revoke) {
    event.revoke = { targetProviderMessageId: message.revoke.original_message_id };
  } else if (message.type === "edit" && message.edit) {
    const inner = message.edit.message;
    const body = inner?.text?.body ?? inner?.image?.caption ?? inner?.video?.caption ?? inner?.document?.caption;
    event.edit = clean({ targetProviderMessageId: message.edit.original_message_id, body });
  } else if (message.type === "unsupported") {
    const error = message.errors?.[0];
    const kind = message.unsupported?.type;
    if (kind === "edit") {
      // Meta's current form of an edit: no new text; the quoted id, when present, is the original.
      event.type = "edit";
      event.edit = clean({ targetProviderMessageId: message.context?.id });
      delete event.replyToProviderMessageId;
      return;
    }
    event.unsupported = clean({ type: kind, code: error?.code ? String(error.code) : undefined, title: error?.title });
  }
  const interactive = message.interactive;
  if (message.type === "interactive" && interactive?.nfm_reply) {
    event.flow = flowReply(interactive.nfm_reply);
    event.body = event.flow.body ?? "Formulário enviado";
  }
  if (message.type === "interactive" && interactive?.call_permission_reply) {
    const c = interactive.call_permission_reply;
    event.callPermission = { response: c.response };
    if (c.expiration_timestamp !== undefined)
      event.callPermission.expiresAt = new Date(Number(c.expiration_timestamp) * 1000);
  }
  if (message.referral) {
    const r = message.referral;
    event.referral = clean({
      sourceId: r.source_id,
      sourceType: r.source_type,
      sourceUrl: r.source_url,
      headline: r.headline,
      body: r.body,
      mediaType: r.media_type,
      ctwaClid: r.ctwa_clid,
    });
  }
}
