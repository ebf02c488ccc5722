import { describe, expect, it } from "vitest";
import { createProvider, EvolutionAdapter, MetaAdapter, sendLimits } from "../src";

describe("createProvider", () => {
  it("builds the adapter of each kind", () => {
    const meta = createProvider("META", { phoneNumberId: "1", accessToken: "t", appSecret: "s" });
    const evolution = createProvider("EVOLUTION", { baseUrl: "http://evo", apiKey: "k", instanceName: "i" });
    expect(meta).toBeInstanceOf(MetaAdapter);
    expect(meta.kind).toBe("META");
    expect(meta.connect).toBeUndefined();
    expect(evolution).toBeInstanceOf(EvolutionAdapter);
    expect(typeof evolution.connect).toBe("function");
  });

  it("publishes the reference limits", () => {
    expect(sendLimits.META.messagesPerSecond).toBe(80);
    expect(sendLimits.META.maxMediaBytes.image).toBe(5 * 1024 * 1024);
    expect(sendLimits.META.maxMediaBytes.document).toBe(100 * 1024 * 1024);
    expect(sendLimits.EVOLUTION.messagesPerSecond).toBeLessThanOrEqual(5);
  });
});
