import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { classifyEvolutionError, classifyMetaError, MetaAdapter } from "../src";
import { fixture, fixtureNames } from "./helpers";

const wrapped = (provider: "meta" | "evolution", name: string) =>
  fixture(provider, name) as { _http_status: number; body: unknown };

const META: Record<string, { retryable: boolean; code: string }> = {
  error_100_invalid_parameter: { retryable: false, code: "100" },
  error_130429_rate_limit: { retryable: true, code: "130429" },
  error_131030_not_in_allowed_list: { retryable: false, code: "131030" },
  error_131047_reengagement: { retryable: false, code: "131047" },
  error_131056_pair_rate_limit: { retryable: true, code: "131056" },
  error_132001_template_not_found: { retryable: false, code: "132001" },
  error_190_token_expired: { retryable: false, code: "190" },
  error_368_policy_block: { retryable: false, code: "368" },
  error_80007_waba_rate_limit: { retryable: true, code: "80007" },
};

const EVOLUTION: Record<string, { retryable: boolean; code: string }> = {
  error_400_instance_not_connected: { retryable: false, code: "INSTANCE_NOT_CONNECTED" },
  error_400_number_not_on_whatsapp: { retryable: false, code: "NOT_ON_WHATSAPP" },
  error_400_validation: { retryable: false, code: "BAD_REQUEST" },
  error_401_unauthorized: { retryable: false, code: "UNAUTHORIZED" },
  error_403_name_in_use: { retryable: false, code: "FORBIDDEN" },
  error_404_instance_not_found: { retryable: false, code: "INSTANCE_NOT_FOUND" },
  error_503_license_required_v2_4: { retryable: false, code: "LICENSE_REQUIRED" },
};

describe("error classification", () => {
  it("covers every error fixture", () => {
    expect(Object.keys(META).sort()).toEqual(fixtureNames("meta", "error_").sort());
    expect(Object.keys(EVOLUTION).sort()).toEqual(fixtureNames("evolution", "error_").sort());
  });

  it.each(Object.entries(META))("Meta %s", (name, expected) => {
    const { _http_status, body } = wrapped("meta", name);
    const error = classifyMetaError(_http_status, body);
    expect(error).toMatchObject({ provider: "META", httpStatus: _http_status, ...expected });
    expect(error.providerMessage).toContain(`(#${expected.code})`.replace("(#190)", "Error validating"));
  });

  it.each(Object.entries(EVOLUTION))("Evolution %s", (name, expected) => {
    const { _http_status, body } = wrapped("evolution", name);
    const error = classifyEvolutionError(_http_status, body);
    expect(error).toMatchObject({ provider: "EVOLUTION", httpStatus: _http_status, ...expected });
    expect(error.providerMessage.length).toBeGreaterThan(0);
  });

  it("retries throttling, 5xx and transient codes; waits longer for pair-rate limits", () => {
    expect(classifyMetaError(400, { error: { code: 131056 } }).retryAfterMs).toBe(6000);
    expect(classifyMetaError(500, { error: { code: 131000, message: "x" } }).retryable).toBe(true);
    expect(classifyMetaError(503, { error: { code: 131016 } }).retryable).toBe(true);
    expect(classifyMetaError(429, "Too Many Requests").retryable).toBe(true);
    expect(classifyMetaError(502, "<html>").code).toBe("HTTP_502");
    expect(
      classifyEvolutionError(500, { status: 500, error: "Internal Server Error", response: { message: ["boom"] } })
        .retryable,
    ).toBe(true);
    expect(classifyEvolutionError(429, {}, "2").retryAfterMs).toBe(2000);
  });

  it("turns network failures and timeouts into retryable errors", async () => {
    const dead = new MetaAdapter({
      phoneNumberId: "1",
      accessToken: "t",
      appSecret: "s",
      baseUrl: "http://127.0.0.1:1",
    });
    await expect(dead.sendText("+5511987654321", "oi")).rejects.toMatchObject({ code: "NETWORK", retryable: true });

    // A server that accepts the request and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const hang = new MetaAdapter({
      phoneNumberId: "1",
      accessToken: "t",
      appSecret: "s",
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 50,
    });
    await expect(hang.sendText("+5511987654321", "oi")).rejects.toMatchObject({ code: "TIMEOUT", retryable: true });
    silent.closeAllConnections();
    silent.close();
  });
});
