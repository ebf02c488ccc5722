import { z } from "zod";

/**
 * Only the fields we read; unknown keys are dropped. `message` stays a loose record
 * because Baileys message shapes are many and change between versions.
 */
export const evolutionEnvelopeSchema = z.object({
  event: z.string().min(1),
  instance: z.string().min(1),
  data: z.unknown(),
  date_time: z.string().optional(),
  sender: z.string().optional(),
  apikey: z.string().nullable().optional(),
});

/** Long values arrive as numbers, numeric strings or `{low, high}` objects depending on version. */
const longish = z.union([z.number(), z.string(), z.object({ low: z.number(), high: z.number().optional() })]);

export const evolutionMessageSchema = z.object({
  key: z.object({
    id: z.string(),
    remoteJid: z.string(),
    remoteJidAlt: z.string().optional(),
    senderPn: z.string().optional(),
    senderLid: z.string().optional(),
    participant: z.string().optional(),
    fromMe: z.boolean().optional(),
  }),
  pushName: z.string().nullable().optional(),
  message: z.record(z.string(), z.unknown()).nullable().optional(),
  contextInfo: z.object({ stanzaId: z.string().optional() }).nullable().optional(),
  messageType: z.string().optional(),
  messageTimestamp: longish.optional(),
});

export const evolutionUpdateSchema = z.object({
  keyId: z.string().optional(),
  key: z.object({ id: z.string() }).optional(),
  remoteJid: z.string().optional(),
  fromMe: z.boolean().optional(),
  status: z.union([z.string(), z.number()]),
});

export const evolutionConnectionSchema = z.object({
  state: z.string(),
  statusReason: z.union([z.number(), z.string()]).optional(),
  wuid: z.string().optional(),
  profileName: z.string().optional(),
});

export const evolutionQrSchema = z.object({
  qrcode: z
    .object({
      base64: z.string().nullable().optional(),
      code: z.string().nullable().optional(),
      pairingCode: z.string().nullable().optional(),
    })
    .optional(),
});

export type EvolutionMessage = z.infer<typeof evolutionMessageSchema>;

export function toDate(value: z.infer<typeof longish> | undefined, fallback: Date): Date {
  if (value === undefined) return fallback;
  const seconds = typeof value === "object" ? value.low : Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback;
}
