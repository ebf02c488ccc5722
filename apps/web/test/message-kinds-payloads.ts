import { metaWebhookEnvelope } from "@elsehu/providers/simulator";

/** A 1×1 PNG: a real picture the browser can draw. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

const now = () => String(Math.floor(Date.now() / 1000));

/** Meta inbound messages from one customer, as Meta's webhook carries them. */
export function customerSays(pnid: string, from: string, name: string) {
  const contacts = [{ profile: { name }, wa_id: from.replace(/\D/g, "") }];
  const wa = from.replace(/\D/g, "");
  const envelope = (messages: Record<string, unknown>[]) =>
    metaWebhookEnvelope(
      { contacts, messages: messages.map((m) => ({ from: wa, timestamp: now(), ...m })) },
      { phoneNumberId: pnid },
    );
  return {
    envelope,
    text: (id: string, body: string, extra: Record<string, unknown> = {}) => ({
      id,
      type: "text",
      text: { body },
      ...extra,
    }),
    media: (id: string, type: string, mediaId: string, extra: Record<string, unknown>) => ({
      id,
      type,
      [type]: { id: mediaId, ...extra },
    }),
  };
}

/** The kinds a person reads without a file: location, contact card, order, flow answers, unsupported. */
export function structuredKinds(prefix: string, cardPhone: string) {
  return [
    {
      id: `${prefix}-loc`,
      type: "location",
      location: {
        latitude: -23.5505199,
        longitude: -46.6333094,
        name: "Praça da Sé",
        address: "Praça da Sé, s/n - São Paulo",
      },
    },
    {
      id: `${prefix}-card`,
      type: "contacts",
      contacts: [
        {
          name: { formatted_name: "João Pereira", first_name: "João" },
          org: { company: "Pereira Entregas" },
          phones: [{ phone: cardPhone, wa_id: cardPhone.replace(/\D/g, ""), type: "CELL" }],
        },
      ],
    },
    {
      id: `${prefix}-order`,
      type: "order",
      order: {
        catalog_id: "194836987003835",
        text: "Sem cebola, por favor",
        product_items: [
          { product_retailer_id: "pizza-margherita-g", quantity: 2, item_price: 49.9, currency: "BRL" },
          { product_retailer_id: "refrigerante-2l", quantity: 1, item_price: 12, currency: "BRL" },
        ],
      },
    },
    {
      id: `${prefix}-flow`,
      type: "interactive",
      interactive: {
        type: "nfm_reply",
        nfm_reply: {
          name: "flow",
          body: "Sent",
          response_json: JSON.stringify({ flow_token: "t-1", nome_completo: "Maria Silva", horario: "18h" }),
        },
      },
    },
    {
      id: `${prefix}-unsup`,
      type: "unsupported",
      errors: [{ code: 131051, title: "Message type unknown" }],
      unsupported: { type: "poll_creation" },
    },
  ];
}
