import { describe, expect, it } from "vitest";
import { normalizePhone } from "../src/contacts/phone";
import { buildSearchText, foldText } from "../src/contacts/search-text";

describe("normalizePhone (region BR)", () => {
  const mobile = { e164: "+5511987654321", key: "5511987654321" };
  it.each([
    ["(11) 98765-4321", mobile],
    ["11987654321", mobile],
    ["+55 11 98765 4321", mobile],
    ["5511987654321", mobile],
    ["+55 (11) 9 8765-4321", mobile],
    ["011 98765-4321", mobile],
    ["0055 11 98765 4321", mobile],
    // A mobile written without the ninth digit is the same contact.
    ["(11) 8765-4321", mobile],
    ["1187654321", mobile],
    ["+55 11 8765-4321", mobile],
    ["551187654321", mobile],
    // Landlines keep their eight digits.
    ["(21) 3456-7890", { e164: "+552134567890", key: "552134567890" }],
    ["+1 212 555 0100", { e164: "+12125550100", key: "12125550100" }],
  ])("%s -> %o", (input, expected) => {
    expect(normalizePhone(input, "BR")).toEqual(expected);
  });

  it.each([["garbage"], [""], ["123"], ["(11) 1234"], ["abc 11987654321"], ["+55 00 98765-4321"], ["9".repeat(20)]])(
    "rejects %j",
    (input) => {
      expect(normalizePhone(input, "BR")).toBeNull();
    },
  );

  it("uses the configured default region for national numbers", () => {
    expect(normalizePhone("(212) 555-0100", "US")?.e164).toBe("+12125550100");
  });
});

describe("search text", () => {
  it("folds accents and case so 'joao' matches 'João'", () => {
    expect(foldText("João ÇÃO")).toBe("joao cao");
    expect(buildSearchText({ name: "João Silva", email: "J@X.com", phone: "+5511987654321" })).toBe(
      "joao silva\tj@x.com\t5511987654321",
    );
  });
});
