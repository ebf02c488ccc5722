import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Adding a number through tRPC sets the provider side up with no step left to the admin. */
let stack: Stack;
let sim: Simulator;
let admin: Awaited<ReturnType<typeof userWithToken>>;
const PNID = "109876543210987";
const PUBLIC = "https://atendimento.example.com.br";

beforeAll(async () => {
  sim = await startSimulator({
    meta: { phoneNumberId: PNID, accessToken: "good-meta-token-123" },
    evolution: { instanceName: "ja-existe", apiKey: "global-evolution-key" },
  });
  stack = await startStack({ worker: false, config: { publicUrl: PUBLIC } });
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await stack.close();
  await sim.close();
});

const count = async () => (await stack.core.sql`select count(*)::int as n from service_instances`)[0]?.n;
const evolution = (instanceName: string, apiKey = "global-evolution-key") => ({
  provider: "EVOLUTION" as const,
  name: `Evolution ${instanceName}`,
  config: { baseUrl: sim.url, instanceName },
  secrets: { apiKey, webhookSecret: "webhook-secret-0123456789" },
});
const meta = (phoneNumberId: string, accessToken: string) => ({
  provider: "META" as const,
  name: `Meta ${phoneNumberId}`,
  config: { phoneNumberId, baseUrl: sim.url },
  secrets: { accessToken, appSecret: "app-secret-9876", verifyToken: "verify-me-123" },
});

describe("adding an Evolution number", () => {
  it("creates the missing instance on the server and sets its webhook: URL, events and secret header", async () => {
    expect(sim.evolutionInstance("loja-nova")).toBeUndefined();
    const created = await admin.client.instances.create.mutate(evolution("loja-nova"));
    const server = sim.evolutionInstance("loja-nova");
    expect(server).toMatchObject({
      webhookUrl: `${PUBLIC}/webhooks/evolution/${created.id}`,
      webhookHeaders: { "x-webhook-secret": "webhook-secret-0123456789" },
    });
    expect(server?.webhookEvents).toEqual(
      expect.arrayContaining([
        "MESSAGES_UPSERT",
        "MESSAGES_UPDATE",
        "MESSAGES_EDITED",
        "MESSAGES_DELETE",
        "SEND_MESSAGE",
        "CONNECTION_UPDATE",
        "QRCODE_UPDATED",
      ]),
    );
    expect(created.providerDetails).toMatchObject({ instanceCreated: "true" });
    expect(sim.received.some((r) => r.path === "/instance/create")).toBe(true);
  });

  it("keeps an instance the server already has and only points its webhook here", async () => {
    const before = sim.received.length;
    const created = await admin.client.instances.create.mutate(evolution("ja-existe"));
    const calls = sim.received.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(calls).not.toContain("POST /instance/create");
    expect(calls).toContain("POST /webhook/set/ja-existe");
    expect(sim.evolutionInstance("ja-existe")?.webhookUrl).toBe(`${PUBLIC}/webhooks/evolution/${created.id}`);
  });

  it("names a refused API key and stores nothing", async () => {
    const before = await count();
    const err = await admin.client.instances.create
      .mutate(evolution("outra", "wrong-key-123"))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { code: "BAD_REQUEST", reason: "EVOLUTION_BAD_API_KEY" } });
    expect((err as Error).message).toMatch(/secrets\.apiKey/);
    expect(await count()).toBe(before);
    expect(sim.evolutionInstance("outra")).toBeUndefined();
  });

  it("says PUBLIC_URL is missing instead of leaving the webhook unset", async () => {
    const bare = await startStack({ worker: false });
    try {
      const who = await userWithToken(bare, "ADMIN");
      const err = await who.client.instances.create.mutate(evolution("sem-url")).catch((e: unknown) => e);
      expect(err).toMatchObject({ data: { reason: "PUBLIC_URL_MISSING" } });
      expect((err as Error).message).toMatch(/PUBLIC_URL/);
    } finally {
      await bare.close();
    }
  });
});

describe("adding a Meta number", () => {
  it("shows the number's display name, quality rating and messaging limit from Meta", async () => {
    sim.setMetaPhoneInfo({ quality_rating: "YELLOW" });
    const created = await admin.client.instances.create.mutate(meta(PNID, "good-meta-token-123"));
    expect(created.providerDetails).toMatchObject({
      verifiedName: "Loja Centro",
      displayPhoneNumber: "+55 11 94000-1234",
      qualityRating: "YELLOW",
      messagingLimit: "TIER_250",
    });
    sim.setMetaPhoneInfo({ quality_rating: "RED" });
    const checked = await admin.client.instances.verify.mutate({ id: created.id });
    expect(checked.providerDetails).toMatchObject({ qualityRating: "RED" });
    expect((await admin.client.instances.get.query({ id: created.id })).providerDetails).toMatchObject({
      qualityRating: "RED",
    });
  });

  it("names a bad token and a wrong phone number id, and stores nothing", async () => {
    const before = await count();
    const token = await admin.client.instances.create
      .mutate(meta("123456789012", "expired-token-1"))
      .catch((e: unknown) => e);
    expect(token).toMatchObject({ data: { code: "BAD_REQUEST", reason: "META_BAD_TOKEN" } });
    expect((token as Error).message).toMatch(/access token/);
    const id = await admin.client.instances.create
      .mutate(meta("123456789012", "good-meta-token-123"))
      .catch((e: unknown) => e);
    expect(id).toMatchObject({ data: { code: "BAD_REQUEST", reason: "META_UNKNOWN_PHONE_NUMBER_ID" } });
    expect((id as Error).message).toMatch(/phone number id/);
    expect(JSON.stringify([token, id])).not.toContain("good-meta-token-123");
    expect(await count()).toBe(before);
  });
});
