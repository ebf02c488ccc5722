import { z } from "zod";

/**
 * Only the fields we read. Zod drops unknown keys, so new Meta fields never break
 * parsing; everything beyond the routing ids is optional because shapes vary by type
 * and API version (e.g. `from`/`wa_id` are omitted for users known only by BSUID).
 */
const seconds = z.union([z.string(), z.number()]);

const media = z.object({
  id: z.string().optional(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  url: z.string().optional(),
  voice: z.boolean().optional(),
});

const text = z.object({ body: z.string() });

/** The inner message of an `edit`: the new text or caption, whatever the type. */
const editedMessage = z.object({
  type: z.string().optional(),
  text: text.optional(),
  image: media.optional(),
  video: media.optional(),
  document: media.optional(),
});

const sharedContact = z.object({
  name: z
    .object({
      formatted_name: z.string().optional(),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
    })
    .optional(),
  phones: z
    .array(z.object({ phone: z.string().optional(), wa_id: z.string().optional(), type: z.string().optional() }))
    .optional(),
  emails: z.array(z.object({ email: z.string().optional() })).optional(),
  org: z.object({ company: z.string().optional() }).optional(),
});

const number = z.union([z.number(), z.string()]).transform(Number);

export const metaMessageSchema = z.object({
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  id: z.string(),
  timestamp: seconds,
  type: z.string(),
  context: z.object({ id: z.string().optional(), from: z.string().optional() }).optional(),
  text: text.optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
      nfm_reply: z
        .object({ name: z.string().optional(), body: z.string().optional(), response_json: z.string().optional() })
        .optional(),
      call_permission_reply: z.object({ response: z.string(), expiration_timestamp: seconds.optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  contacts: z.array(sharedContact).optional(),
  order: z
    .object({
      catalog_id: z.string().optional(),
      text: z.string().optional(),
      product_items: z
        .array(
          z.object({
            product_retailer_id: z.string(),
            quantity: number,
            item_price: number,
            currency: z.string(),
          }),
        )
        .optional(),
    })
    .optional(),
  system: z
    .object({
      body: z.string().optional(),
      type: z.string().optional(),
      wa_id: z.string().optional(),
      user_id: z.string().optional(),
    })
    .optional(),
  unsupported: z.object({ type: z.string().optional() }).optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
  edit: z.object({ original_message_id: z.string().optional(), message: editedMessage.optional() }).optional(),
  revoke: z.object({ original_message_id: z.string() }).optional(),
  referral: z
    .object({
      source_url: z.string().optional(),
      source_id: z.string().optional(),
      source_type: z.string().optional(),
      body: z.string().optional(),
      headline: z.string().optional(),
      media_type: z.string().optional(),
      ctwa_clid: z.string().optional(),
    })
    .optional(),
});

export const metaStatusSchema = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: seconds,
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

export const metaContactSchema = z.object({
  profile: z.object({ name: z.string().optional() }).optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});

export const metaValueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z.array(metaContactSchema).optional(),
  messages: z.array(metaMessageSchema).optional(),
  statuses: z.array(metaStatusSchema).optional(),
});

export const metaWebhookSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

export type MetaMessage = z.infer<typeof metaMessageSchema>;
export type MetaStatus = z.infer<typeof metaStatusSchema>;
export type MetaContact = z.infer<typeof metaContactSchema>;
