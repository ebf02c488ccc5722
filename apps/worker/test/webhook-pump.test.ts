import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CoreContext, createCoreContext, createInstance, createUser, storeWebhooks } from "@elsehu/core";
import { connect } from "@elsehu/db";
import { cloneDatabase } from "@elsehu/db/testing";
import { metaWebhookEnvelope } from "@elsehu/providers";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startWebhookPump } from "../src/webhook-pump";

const PNID = "109876543210987";
let db: Awaited<ReturnType<typeof cloneDatabase>>;
let database: ReturnType<typeof connect>;
let claims: ReturnType<typeof connect>;
let core: CoreContext;
let storagePath: string;
let instanceId: string;

beforeAll(async () => {
  db = await cloneDatabase(inject("templateDatabaseUrl"));
  database = connect(db.url, { max: 4 });
  claims = connect(db.url, { max: 2 });
  storagePath = mkdtempSync(join(tmpdir(), "elsehu-webhook-pump-"));
  core = createCoreContext(database, pino({ level: "silent" }), {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: Buffer.alloc(32, 7),
    storagePath,
    conversationTtlSeconds: 86400,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
  });
  const admin = await createUser(core, null, {
    name: "Admin",
    email: "admin@pump.test",
    password: "pump-password",
    role: "ADMIN",
  });
  const instance = await createInstance(
    core,
    { id: admin.id, role: "ADMIN", name: admin.name },
    {
      provider: "META",
      name: "Meta",
      config: { phoneNumberId: PNID },
      secrets: { accessToken: "pump-access-token", appSecret: "pump-app-secret", verifyToken: "pump-verify-token" },
    },
  );
  instanceId = instance.id;
});

afterAll(async () => {
  await claims?.close();
  await database?.close();
  await db?.drop();
  rmSync(storagePath, { recursive: true, force: true });
});

function inbound(from: string, id: string) {
  const messages = [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: id } }];
  const contacts = [{ profile: { name: `Cliente ${from}` }, wa_id: from }];
  const body = JSON.stringify(metaWebhookEnvelope({ contacts, messages }, { phoneNumberId: PNID }));
  return { instanceId, provider: "META" as const, body };
}

const stored = async (id: string) =>
  (await core.sql`select 1 from messages where provider_message_id = ${id}`).length === 1;

async function until(fn: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > ms) throw new Error(`not done within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

// Lanes that would only look again in a minute: anything sooner came from a wake-up.
const opts = { lanes: 2, batch: 50, maxAttempts: 10, pollMs: 60_000 };

describe("webhook pump", () => {
  it("applies, as it starts, what was acknowledged while no worker ran", async () => {
    await storeWebhooks(core.sql, [
      inbound("5511974000001", "wamid.PUMP-A1"),
      inbound("5511974000002", "wamid.PUMP-A2"),
    ]);
    const pump = startWebhookPump(core, claims.sql, opts);
    try {
      await until(async () => (await stored("wamid.PUMP-A1")) && (await stored("wamid.PUMP-A2")), 10_000);
    } finally {
      await pump.stop();
    }
  });

  it("is woken by the acknowledgement's commit, not by its poll", async () => {
    const pump = startWebhookPump(core, claims.sql, opts);
    try {
      // Let both lanes find the inbox empty and go to sleep.
      await new Promise((r) => setTimeout(r, 300));
      await storeWebhooks(core.sql, [inbound("5511974000003", "wamid.PUMP-B1")]);
      await until(() => stored("wamid.PUMP-B1"), 10_000);
      await storeWebhooks(core.sql, [inbound("5511974000004", "wamid.PUMP-B2")]);
      await until(() => stored("wamid.PUMP-B2"), 10_000);
    } finally {
      await pump.stop();
    }
  });

  it("takes nothing more once stopped", async () => {
    const pump = startWebhookPump(core, claims.sql, opts);
    await new Promise((r) => setTimeout(r, 100));
    await pump.stop();
    await storeWebhooks(core.sql, [inbound("5511974000005", "wamid.PUMP-C1")]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await stored("wamid.PUMP-C1")).toBe(false);
  });
});
