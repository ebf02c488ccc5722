import { type NormalizedPhone, normalizePhone as normalize } from "@elsehu/providers";
import type { CountryCode } from "libphonenumber-js";

export type { NormalizedPhone };

/**
 * E.164 normalisation for contacts: the providers' rule (Brazilian mobiles in
 * their 9-digit form, key = digits without "+"), with the region as a plain string
 * because it comes from configuration.
 */
export function normalizePhone(input: string, region = "BR"): NormalizedPhone | null {
  return normalize(input, region.toUpperCase() as CountryCode);
}
