import { type Simulator, startSimulator } from "@elsehu/providers/simulator";
import { type Stack, startStack, userWithToken } from "@elsehu/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
let sim: Simulator;
let admin: Awaited<ReturnType<typeof userWithToken>>;

beforeAll(async () => {
  // Numbers are checked with their provider when saved: the simulator answers for both.
  sim = await startSimulator({});
  stack = await startStack({ worker: false, config: { publicUrl: "https://atendimento.example.com.br" } });
  admin = await userWithToken(stack, "ADMIN");
});
afterAll(async () => {
  await stack.close();
  await sim.close();
});

const code = (err: unknown) => (err as { data?: { code?: string } }).data?.code;

describe("instances", () => {
  it("creates a Meta number with secrets encrypted at rest and never returned", async () => {
    const created = await admin.client.instances.create.mutate({
      provider: "META",
      name: "Loja Centro",
      config: { phoneNumberId: "111222333444", wabaId: "555", graphVersion: "v23.0", baseUrl: sim.url },
      secrets: { accessToken: "EAAG-super-secret-token", appSecret: "app-secret-9876", verifyToken: "verify-me-123" },
    });
    expect(created.secrets).toEqual({ accessToken: "••••oken", appSecret: "••••9876", verifyToken: "••••-123" });
    expect(JSON.stringify(created)).not.toContain("super-secret");
    expect(created.webhookPath).toBe("/webhooks/meta");
    const [row] = await stack.core.sql`select secrets, config from service_instances where id = ${created.id}`;
    expect(String(row?.secrets)).not.toContain("super-secret");
    expect(String(row?.secrets)).toMatch(/^v1\./);
    const listed = await admin.client.instances.list.query();
    expect(JSON.stringify(listed)).not.toContain("super-secret");
    const audit = await stack.core.sql`select data from audit_log where target_id = ${created.id}`;
    expect(JSON.stringify(audit)).not.toContain("super-secret");
  });

  it("updates a secret without returning it and keeps the others", async () => {
    const created = await admin.client.instances.create.mutate({
      provider: "EVOLUTION",
      name: "Celular vendas",
      config: { baseUrl: sim.url, instanceName: "vendas" },
      secrets: { apiKey: "evo-api-key-1", webhookSecret: "webhook-secret-0123456789" },
    });
    expect(created.webhookPath).toBe(`/webhooks/evolution/${created.id}`);
    const updated = await admin.client.instances.update.mutate({
      id: created.id,
      name: "Celular vendas 2",
      secrets: { apiKey: "evo-api-key-2" },
    });
    expect(updated.name).toBe("Celular vendas 2");
    expect(updated.secrets).toEqual({ apiKey: "••••ey-2", webhookSecret: "••••6789" });
  });

  it("refuses non-http provider URLs and duplicate phone number ids, naming the field", async () => {
    const ftp = await admin.client.instances.create
      .mutate({
        provider: "EVOLUTION",
        name: "x",
        config: { baseUrl: "file:///etc/passwd", instanceName: "x" },
        secrets: { apiKey: "evo-api-key-1", webhookSecret: "webhook-secret-0123456789" },
      })
      .catch((e: unknown) => e);
    expect(code(ftp)).toBe("BAD_REQUEST");
    expect((ftp as Error).message).toMatch(/baseUrl/);
    const dup = await admin.client.instances.create
      .mutate({
        provider: "META",
        name: "dup",
        config: { phoneNumberId: "111222333444", baseUrl: sim.url },
        secrets: { accessToken: "EAAG-other-token", appSecret: "app-secret-1111", verifyToken: "verify-me-456" },
      })
      .catch((e: unknown) => e);
    expect(code(dup)).toBe("CONFLICT");
  });

  it("still lists an instance whose secrets cannot be decrypted (key rotated), flagged for re-entry", async () => {
    const [row] = await stack.core.sql<{ id: string }[]>`
      insert into service_instances (name, provider, secrets) values ('Chave antiga', 'META', 'v1.not.a.blob')
      returning id`;
    const list = await admin.client.instances.list.query();
    const found = list.find((i) => i.id === row?.id);
    expect(found?.secretsReadable).toBe(false);
    expect(found?.secrets).toEqual({});
  });

  it("deletes an unused instance; only admins manage instances", async () => {
    const created = await admin.client.instances.create.mutate({
      provider: "META",
      name: "Temporária",
      config: { phoneNumberId: "999888777666", baseUrl: sim.url },
      secrets: { accessToken: "EAAG-temp-token", appSecret: "app-secret-temp", verifyToken: "verify-temp-1" },
    });
    await admin.client.instances.delete.mutate({ id: created.id });
    expect(code(await admin.client.instances.get.query({ id: created.id }).catch((e: unknown) => e))).toBe("NOT_FOUND");
    const supervisor = await userWithToken(stack, "SUPERVISOR");
    expect(code(await supervisor.client.instances.list.query().catch((e: unknown) => e))).toBe("FORBIDDEN");
  });
});
