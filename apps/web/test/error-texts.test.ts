import { ALL_REASONS } from "@elsehu/core";
import { describe, expect, it } from "vitest";
import { REASON_TEXT, reasonText } from "../src/lib/errors";

/** Any detail a text may read: a list of one name, which also prints as that name. */
const anyDetails = new Proxy({}, { get: () => Object.assign(["campo"], { toString: () => "campo" }) });

describe("console error texts", () => {
  it("has pt-BR text for every reason the API can send, and none the API does not", () => {
    expect(Object.keys(REASON_TEXT).sort()).toEqual([...ALL_REASONS].sort());
    for (const reason of ALL_REASONS) {
      const text = reasonText(reason, anyDetails);
      expect(text.trim().length, reason).toBeGreaterThan(10);
      expect(text, reason).not.toMatch(/\bundefined\b|\[object/);
    }
  });

  it("names the field and the bound of an input error without reading zod's English", () => {
    const issues = [
      { path: "password", message: "Too small: expected string to have >=8 characters", code: "too_small", minimum: 8 },
    ];
    expect(reasonText("INVALID_INPUT", { field: "password" }, issues)).toBe(
      "Senha: precisa ter pelo menos 8 caracteres.",
    );
    expect(reasonText("LOGIN_THROTTLED", { retryAfterSeconds: 42 })).toBe(
      "Muitas tentativas. Tente novamente em 42 segundos.",
    );
  });
});
