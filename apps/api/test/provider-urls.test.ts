import { createInstance } from "@elsehu/core";
import { startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Admin-set provider URLs are fetched by the API and the worker: one that points
 * inside the network would turn them into a probe of internal services (SSRF).
 * This stack runs with the production default, ALLOW_PRIVATE_PROVIDER_URLS=false.
 */
let stack: Stack;
let admin: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  stack = await startStack({ worker: false, config: { allowPrivateProviderUrls: false } });
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await stack.close();
});

type Failure = { data?: { code?: string; details?: { reason?: string; field?: string } }; message: string };
const fail = (p: Promise<unknown>) => p.then(() => null as unknown as Failure).catch((e: unknown) => e as Failure);

const evolution = (baseUrl: string) => ({
  provider: "EVOLUTION" as const,
  name: `Evo ${baseUrl}`,
  config: { baseUrl, instanceName: "vendas" },
  secrets: { apiKey: "evo-api-key-1", webhookSecret: "webhook-secret-0123456789" },
});

describe("provider URLs", () => {
  it.each([
    "http://127.0.0.1:8080",
    "http://10.1.2.3",
    "http://172.20.0.5",
    "http://192.168.0.10",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]:8080",
    "http://[fd00::1]",
    "http://[::ffff:127.0.0.1]",
    "http://0.0.0.0:80",
  ])("refuses an Evolution server at %s", async (url) => {
    const err = await fail(admin.client.instances.create.mutate(evolution(url)));
    expect(err?.data?.code).toBe("BAD_REQUEST");
    expect(err?.data?.details).toMatchObject({ reason: "PRIVATE_PROVIDER_URL", field: "config.baseUrl" });
  });

  it("refuses a host name that resolves to loopback, not only literal addresses", async () => {
    const err = await fail(
      admin.client.instances.create.mutate({
        provider: "META",
        name: "Meta local",
        config: { phoneNumberId: "1234567890", baseUrl: "http://localhost:9999" },
        secrets: { accessToken: "EAAG-token-123", appSecret: "app-secret-9876", verifyToken: "verify-me-123" },
      }),
    );
    expect(err?.data?.details?.reason).toBe("PRIVATE_PROVIDER_URL");
    expect(err?.message).toMatch(/localhost resolves to a private/);
    const [n] = await stack.core.sql<{ n: number }[]>`select count(*)::int as n from service_instances`;
    expect(n?.n).toBe(0);
  });

  it("refuses moving an existing number to a private URL", async () => {
    // Stored directly: adding it through the API would call graph.facebook.com to read its details.
    const row = await createInstance(stack.core, admin.user, {
      provider: "META",
      name: "Meta",
      config: { phoneNumberId: "2222233333" },
      secrets: { accessToken: "EAAG-token-123", appSecret: "app-secret-9876", verifyToken: "verify-me-123" },
    });
    const err = await fail(
      admin.client.instances.update.mutate({
        id: String(row?.id),
        config: { baseUrl: "http://127.0.0.1:1" },
        secrets: { accessToken: "EAAG-token-123" },
      }),
    );
    expect(err?.data?.details?.reason).toBe("PRIVATE_PROVIDER_URL");
    const bad = await fail(admin.client.instances.update.mutate({ id: String(row?.id), config: { baseUrl: "nope" } }));
    expect(bad?.data?.code).toBe("BAD_REQUEST");
    expect(bad?.message).toMatch(/baseUrl/);
    const [after] = await stack.core.sql`select config from service_instances where id = ${String(row?.id)}`;
    expect(after?.config).toEqual({ phoneNumberId: "2222233333" });
  });
});

describe("provider URLs with ALLOW_PRIVATE_PROVIDER_URLS=true", () => {
  let open: Stack;
  let openAdmin: Awaited<ReturnType<typeof userWithToken>>;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    open = await startStack({
      worker: false,
      config: { allowPrivateProviderUrls: true, publicUrl: "https://atendimento.example.com.br" },
    });
    openAdmin = await userWithToken(open, "ADMIN");
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
    await open.close();
  });

  it("accepts the simulator on loopback, and asks for the API key again when the host changes", async () => {
    const created = await openAdmin.client.instances.create.mutate(evolution(sim.url));
    const moved = await fail(
      openAdmin.client.instances.update.mutate({ id: created.id, config: { baseUrl: "http://127.0.0.2:8080" } }),
    );
    expect(moved?.data?.code).toBe("BAD_REQUEST");
    expect(moved?.data?.details).toMatchObject({ reason: "SECRETS_REQUIRED_FOR_NEW_HOST", field: "secrets.apiKey" });
    // Same host, another path: no secret needed.
    const samePath = await openAdmin.client.instances.update.mutate({
      id: created.id,
      config: { baseUrl: `${sim.url}/` },
    });
    expect(samePath.config).toMatchObject({ baseUrl: `${sim.url}/` });
    const withKey = await openAdmin.client.instances.update.mutate({
      id: created.id,
      config: { baseUrl: "http://127.0.0.2:8080" },
      secrets: { apiKey: "evo-api-key-for-new-host" },
    });
    expect(withKey.config).toMatchObject({ baseUrl: "http://127.0.0.2:8080" });
  });

  it("asks for Meta's access token again when a number leaves graph.facebook.com", async () => {
    const created = await createInstance(open.core, openAdmin.user, {
      provider: "META",
      name: "Meta real",
      config: { phoneNumberId: "9988776655" },
      secrets: { accessToken: "EAAG-token-123", appSecret: "app-secret-9876", verifyToken: "verify-me-123" },
    });
    const err = await fail(openAdmin.client.instances.update.mutate({ id: created.id, config: { baseUrl: sim.url } }));
    expect(err?.data?.details?.reason).toBe("SECRETS_REQUIRED_FOR_NEW_HOST");
    expect(err?.message).toMatch(/accessToken/);
  });
});
