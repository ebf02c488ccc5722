import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

export interface NormalizedPhone {
  /** E.164 with `+`, canonical: Brazilian mobiles always with the ninth digit. */
  e164: string;
  /** Digits of `e164` without `+`: the dedupe key, same shape as Meta wa_id / Evolution numbers. */
  key: string;
}

/**
 * Brazilian mobiles gained a leading 9 (2012–2016), but WhatsApp still registers many
 * (DDD ≥ 31) without it and users still type the old form. A 10-digit national number
 * whose subscriber part starts with 6–9 can only be such an old mobile: landlines start
 * with 2–5, so those are left untouched.
 */
function addBrazilianNinthDigit(national: string): string {
  if (national.length === 10 && /^[1-9][1-9][6-9]/.test(national)) {
    return `${national.slice(0, 2)}9${national.slice(2)}`;
  }
  return national;
}

function tryParse(candidate: string, region: CountryCode): NormalizedPhone | null {
  const parsed = parsePhoneNumberFromString(candidate, region);
  if (!parsed) return null;
  let phone = parsed;
  if (parsed.countryCallingCode === "55") {
    const fixed = addBrazilianNinthDigit(parsed.nationalNumber);
    if (fixed !== parsed.nationalNumber) {
      const reparsed = parsePhoneNumberFromString(`+55${fixed}`);
      if (!reparsed) return null;
      phone = reparsed;
    }
  }
  if (!phone.isValid()) return null;
  return { e164: phone.number, key: phone.number.slice(1) };
}

/**
 * Parses whatever a user, a CSV or a provider gives us. Digits without `+` are tried
 * first as a national number of `defaultRegion`, then as international (wa_id style).
 * Returns null for anything that is not a valid number.
 */
export function normalizePhone(input: string, defaultRegion: CountryCode = "BR"): NormalizedPhone | null {
  const trimmed = input.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, "");
  if (digits.length < 8 || digits.length > 15) return null;
  if (trimmed.startsWith("+")) return tryParse(`+${digits}`, defaultRegion);
  if (digits.startsWith("00")) {
    digits = digits.slice(2);
    return tryParse(`+${digits}`, defaultRegion);
  }
  return tryParse(digits, defaultRegion) ?? tryParse(`+${digits}`, defaultRegion);
}

/**
 * Phone of a WhatsApp JID (`5511987654321@s.whatsapp.net`, also with a `:device`
 * suffix). `@lid`, group and broadcast JIDs are not phones: null.
 */
export function phoneFromJid(jid: string): string | null {
  const match = /^(\d+)(?::\d+)?@(s\.whatsapp\.net|c\.us)$/.exec(jid.trim());
  if (!match?.[1]) return null;
  return normalizePhone(`+${match[1]}`)?.e164 ?? null;
}

/** Evolution wants bare digits with country code; JIDs pass through untouched. */
export function toEvolutionNumber(to: string): string {
  if (to.includes("@")) return to;
  return normalizePhone(to)?.key ?? to.replace(/\D/g, "");
}

/** Meta wants `+` and country code, else it prepends the business number's country code. */
export function toMetaRecipient(to: string): string {
  return normalizePhone(to)?.e164 ?? (to.startsWith("+") ? to : `+${to.replace(/\D/g, "")}`);
}
