import { z } from "zod";

/**
 * Provider settings as an admin enters them. Non-secret fields go to
 * `service_instances.config` (jsonb); secret ones are encrypted into `secrets`.
 */
const httpUrl = z
  .string()
  .trim()
  .url()
  .max(500)
  // zod runs this even when .url() failed: a non-URL must not throw here (it would be a 500).
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "must be an http(s) URL");

export const MetaSettings = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/, "must be the numeric phone number id"),
  wabaId: z.string().trim().max(40).optional(),
  graphVersion: z
    .string()
    .trim()
    .regex(/^v\d+\.\d+$/, "must look like v23.0")
    .optional(),
  /** Graph API base URL; only for tests and proxies (default https://graph.facebook.com). */
  baseUrl: httpUrl.optional(),
});
export const MetaSecrets = z.object({
  accessToken: z.string().min(10).max(2000),
  appSecret: z.string().min(8).max(200),
  verifyToken: z.string().min(8).max(200),
});

export const EvolutionSettings = z.object({
  baseUrl: httpUrl,
  instanceName: z.string().trim().min(1).max(100),
});
export const EvolutionSecrets = z.object({
  apiKey: z.string().min(8).max(500),
  /** Sent by Evolution in the `x-webhook-secret` header we configure on its webhook. */
  webhookSecret: z.string().min(16).max(200),
});

export type MetaSettings = z.infer<typeof MetaSettings>;
export type MetaSecrets = z.infer<typeof MetaSecrets>;
export type EvolutionSettings = z.infer<typeof EvolutionSettings>;
export type EvolutionSecrets = z.infer<typeof EvolutionSecrets>;
export type InstanceSecrets = Partial<MetaSecrets & EvolutionSecrets>;

/** Header Evolution must send on our webhook (configured as a custom webhook header). */
export const EVOLUTION_SECRET_HEADER = "x-webhook-secret";

export const SECRET_FIELDS = ["accessToken", "appSecret", "verifyToken", "apiKey", "webhookSecret"] as const;

/** `abcd…wxyz`-style hint so an admin can tell secrets apart without seeing them. */
export function maskSecret(value: string | undefined): string | null {
  if (!value) return null;
  return value.length <= 8 ? "••••" : `••••${value.slice(-4)}`;
}
