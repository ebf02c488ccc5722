import { describe, expect, it } from "vitest";
import { normalizePhone } from "../src";
import { normalizePhoneSlow } from "../src/phone";

/** Deterministic digits, so a failure names the same input on every run. */
function tail(seed: number, length: number): string {
  let s = "";
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += String(x % 10);
  }
  return s;
}

/** Every way the CSVs and the API write one national number. */
function spellings(national: string): string[] {
  const ddd = national.slice(0, 2);
  const sub = national.slice(2);
  const cut = sub.length - 4;
  return [
    national,
    `(${ddd}) ${sub.slice(0, cut)}-${sub.slice(cut)}`,
    `0${national}`,
    `0${ddd} ${sub.slice(0, cut)}.${sub.slice(cut)}`,
    `55${national}`,
    `+55${national}`,
    `+55 (${ddd}) ${sub.slice(0, cut)}-${sub.slice(cut)}`,
    `00${national}`,
    `0055${national}`,
    `+${national}`,
    ` ${national} `,
  ];
}

describe("the Brazilian fast path of normalizePhone", () => {
  // CPU-bound: 12 s on a loaded CI machine.
  it("gives libphonenumber's answer for every DDD, leading digits and length, in every spelling", {
    timeout: 90_000,
  }, () => {
    let checked = 0;
    for (let ddd = 0; ddd < 100; ddd++) {
      // The rules look at the DDD and the subscriber's first digit; the rest varies by seed.
      for (let lead = 0; lead < 10; lead++) {
        for (const subLength of [7, 8, 9, 10]) {
          const national = `${String(ddd).padStart(2, "0")}${lead}${tail(ddd * 1000 + lead * 10 + subLength, subLength - 1)}`;
          for (const input of spellings(national)) {
            expect(normalizePhone(input), input).toEqual(normalizePhoneSlow(input));
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(100 * 10 * 4 * 11);
  });

  it("agrees with libphonenumber for other regions", () => {
    for (const input of ["11987654321", "+5511987654321", "4155552671", "0611234567", "5511987654321"]) {
      for (const region of ["US", "PT", "AR"] as const) {
        expect(normalizePhone(input, region), `${input} ${region}`).toEqual(normalizePhoneSlow(input, region));
      }
    }
  });
});
