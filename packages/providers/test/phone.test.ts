import { describe, expect, it } from "vitest";
import { normalizePhone, phoneFromJid } from "../src";

describe("normalizePhone", () => {
  it("gives every spelling of one Brazilian mobile the same key, with the ninth digit", () => {
    const spellings = ["(11) 98765-4321", "11987654321", "+55 11 98765 4321", "5511987654321", "551187654321"];
    for (const input of spellings) {
      expect(normalizePhone(input), input).toEqual({ e164: "+5511987654321", key: "5511987654321" });
    }
  });

  it("adds the ninth digit to WhatsApp-style numbers from DDDs registered without it", () => {
    expect(normalizePhone("553188887777")?.e164).toBe("+5531988887777");
  });

  it("keeps landlines as they are, distinct from mobiles", () => {
    const landline = normalizePhone("(11) 3456-7890");
    expect(landline).toEqual({ e164: "+551134567890", key: "551134567890" });
    expect(landline?.key).not.toBe(normalizePhone("11987654321")?.key);
  });

  it("parses foreign numbers given with +", () => {
    expect(normalizePhone("+1 415 555 2671")?.e164).toBe("+14155552671");
  });

  it("returns null for garbage", () => {
    for (const input of ["", "abc", "123", "11 1234", "+55 11 0000-0000", "maria@example.com", "9".repeat(20)]) {
      expect(normalizePhone(input), input).toBeNull();
    }
  });
});

describe("phoneFromJid", () => {
  it("reads phone JIDs, with or without a device suffix", () => {
    expect(phoneFromJid("5511987654321@s.whatsapp.net")).toBe("+5511987654321");
    expect(phoneFromJid("553188887777:12@s.whatsapp.net")).toBe("+5531988887777");
  });

  it("returns null for LIDs and groups", () => {
    expect(phoneFromJid("139874512345678@lid")).toBeNull();
    expect(phoneFromJid("120363000000000000@g.us")).toBeNull();
  });
});
