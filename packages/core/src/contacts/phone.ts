import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

export type NormalizedPhone = {
  /** E.164 with `+`; Brazilian mobiles always in their 9-digit form. */
  e164: string;
  /** Digits of `e164` without `+`: the dedupe key (`contacts.phone_key`), same shape as a Meta wa_id. */
  key: string;
};

/**
 * Brazilian mobiles gained a leading 9 (2012–2016) but people, CRMs and WhatsApp
 * still use the old 8-digit form. A 10-digit national number whose subscriber part
 * starts with 6–9 can only be such a mobile (landlines start with 2–5).
 */
function withNinthDigit(national: string): string {
  return national.length === 10 && /^[1-9][1-9][6-9]/.test(national)
    ? `${national.slice(0, 2)}9${national.slice(2)}`
    : national;
}

function tryParse(candidate: string, region: CountryCode): NormalizedPhone | null {
  let phone = parsePhoneNumberFromString(candidate, region);
  if (!phone) return null;
  if (phone.countryCallingCode === "55") {
    const fixed = withNinthDigit(phone.nationalNumber);
    if (fixed !== phone.nationalNumber) phone = parsePhoneNumberFromString(`+55${fixed}`);
    if (!phone) return null;
  }
  if (!phone.isValid()) return null;
  return { e164: phone.number, key: phone.number.slice(1) };
}

/**
 * Normalises a phone as written by a person, a spreadsheet or a provider.
 * Digits without `+` are tried as a national number of `region` first, then as
 * an international one (`5511987654321`). Anything not a valid number: null.
 */
export function normalizePhone(input: string, region = "BR"): NormalizedPhone | null {
  const trimmed = input.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, "");
  if (digits.length < 8 || digits.length > 15) return null;
  const cc = region.toUpperCase() as CountryCode;
  if (trimmed.startsWith("+")) return tryParse(`+${digits}`, cc);
  if (digits.startsWith("00")) {
    digits = digits.slice(2);
    return tryParse(`+${digits}`, cc);
  }
  return tryParse(digits, cc) ?? tryParse(`+${digits}`, cc);
}
