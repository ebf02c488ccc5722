import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@elsehu/db";
import { cloneDatabase } from "@elsehu/db/testing";
import { metaWebhookEnvelope } from "@elsehu/providers/simulator";
import pino from "pino";
import { inject } from "vitest";
import { createInstance } from "../src/instances/create-instance";
import type { Actor, CoreContext } from "../src/shared/context";
import { createCoreContext } from "../src/shared/create-context";
import { createUser } from "../src/users/create-user";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

export const FIXTURE_PNID = "109876543210987";

export type CoreFixture = {
  url: string;
  core: CoreContext;
  admin: Actor;
  /** A Meta number (phone number id FIXTURE_PNID). */
  meta: { id: string };
  close: () => Promise<void>;
};

/** A core context on a fresh clone of the migrated template database, with an admin and a Meta number. */
export async function startCoreFixture(name: string): Promise<CoreFixture> {
  const db = await cloneDatabase(inject("templateDatabaseUrl"));
  const database = connect(db.url, { max: 4 });
  const storagePath = mkdtempSync(join(tmpdir(), `elsehu-${name}-`));
  const core = createCoreContext(database, pino({ level: "silent" }), {
    sessionIdleTimeoutSeconds: 3600,
    encryptionKey: Buffer.alloc(32, 7),
    storagePath,
    conversationTtlSeconds: 86400,
    defaultRegion: "BR",
    timezone: "America/Sao_Paulo",
    // The fixture's numbers point at local test servers.
    allowPrivateProviderUrls: true,
  });
  const user = await createUser(core, null, {
    name: "Admin",
    email: `admin@${name}.test`,
    password: `${name}-password`,
    role: "ADMIN",
  });
  const admin: Actor = { id: user.id, role: "ADMIN", name: user.name };
  const meta = await createInstance(core, admin, {
    provider: "META",
    name: "Meta",
    config: { phoneNumberId: FIXTURE_PNID },
    secrets: { accessToken: `${name}-access-token`, appSecret: `${name}-app-secret`, verifyToken: `${name}-verify` },
  });
  return {
    url: db.url,
    core,
    admin,
    meta,
    close: async () => {
      await database.close();
      await db.drop();
      rmSync(storagePath, { recursive: true, force: true });
    },
  };
}

/** A Meta webhook body with one inbound text (its body is its id) from `from`. */
export function metaInboundText(from: string, id: string): string {
  const messages = [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: id } }];
  const contacts = [{ profile: { name: `Cliente ${from}` }, wa_id: from }];
  return JSON.stringify(metaWebhookEnvelope({ contacts, messages }, { phoneNumberId: FIXTURE_PNID }));
}
