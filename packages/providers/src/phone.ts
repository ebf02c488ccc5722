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

/** Area codes (DDD) in use, as in libphonenumber's Brazilian fixed-line and mobile patterns. */
const BR_DDD = /^(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])$/;

/**
 * The answer libphonenumber gives for the common Brazilian shapes, without it
 * (it costs ~10 µs a call; a 1M-row CSV import spends most of its Node time there).
 * Only a national number of 10 or 11 digits with a known DDD is decided here: an
 * 11-digit mobile (9 + 8 digits), a 10-digit landline (subscriber 2–5) or an old
 * 10-digit mobile (subscriber 6–9, given its ninth digit). Anything else is
 * `undefined`, meaning "ask libphonenumber". test/phone-fast-path.test.ts checks the
 * two paths agree over every DDD and leading digit, in every written shape.
 */
function fastBrazil(national: string): NormalizedPhone | undefined {
  if (!BR_DDD.test(national.slice(0, 2))) return undefined;
  const lead = national.charCodeAt(2) - 48;
  let full: string;
  if (national.length === 11) {
    if (lead !== 9) return undefined;
    full = national;
  } else if (national.length === 10) {
    if (lead >= 2 && lead <= 5) full = national;
    else if (lead >= 6 && lead <= 9) full = `${national.slice(0, 2)}9${national.slice(2)}`;
    else return undefined;
  } else return undefined;
  return { e164: `+55${full}`, key: `55${full}` };
}

/** The national part of `digits` when its shape is unambiguous (+55…, 55…, 0…, bare), else null. */
function brazilianNational(digits: string, plus: boolean): string | null {
  const n = digits.length;
  if (plus) return digits.startsWith("55") && (n === 12 || n === 13) ? digits.slice(2) : null;
  // 55 + DDD 55 (Rio Grande do Sul) would be ambiguous: leave those to libphonenumber.
  if (digits.startsWith("55")) return (n === 12 || n === 13) && !digits.startsWith("5555") ? digits.slice(2) : null;
  // One national trunk prefix 0 (carrier codes need 13+ digits, so none can hide here).
  if (digits.startsWith("0")) return (n === 11 || n === 12) && digits[1] !== "0" ? digits.slice(1) : null;
  return n === 10 || n === 11 ? digits : null;
}

/**
 * Parses whatever a user, a CSV or a provider gives us. Digits without `+` are tried
 * first as a national number of `defaultRegion`, then as international (wa_id style).
 * Returns null for anything that is not a valid number.
 */
export function normalizePhone(input: string, defaultRegion: CountryCode = "BR"): NormalizedPhone | null {
  const trimmed = input.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  if (digits.length < 8 || digits.length > 15) return null;
  const plus = trimmed.startsWith("+");
  if (defaultRegion === "BR" || plus) {
    const national = brazilianNational(digits, plus);
    const fast = national === null ? undefined : fastBrazil(national);
    if (fast) return fast;
  }
  return slowNormalize(trimmed, digits, defaultRegion);
}

/** libphonenumber's answer; exported for the test that compares it with the fast path. */
export function normalizePhoneSlow(input: string, defaultRegion: CountryCode = "BR"): NormalizedPhone | null {
  const trimmed = input.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  if (digits.length < 8 || digits.length > 15) return null;
  return slowNormalize(trimmed, digits, defaultRegion);
}

function slowNormalize(trimmed: string, input: string, defaultRegion: CountryCode): NormalizedPhone | null {
  let digits = input;
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
