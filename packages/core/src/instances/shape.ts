import type { serviceInstances } from "@elsehu/db";
import { decryptJson } from "../shared/crypto";
import { type InstanceSecrets, maskSecret, SECRET_FIELDS } from "./instance-config";

export type InstanceRow = typeof serviceInstances.$inferSelect;

export function instanceSecrets(key: Buffer, row: Pick<InstanceRow, "secrets">): InstanceSecrets {
  return decryptJson<InstanceSecrets>(key, row.secrets);
}

/** What the API returns: secrets never leave, only a masked hint of each. */
export function publicInstance(key: Buffer, row: InstanceRow) {
  // Unreadable secrets (e.g. APP_ENCRYPTION_KEY changed) must not hide the instance: the admin re-enters them.
  let secrets: ReturnType<typeof instanceSecrets> | null = null;
  try {
    secrets = instanceSecrets(key, row);
  } catch {
    secrets = null;
  }
  const masked: Record<string, string | null> = {};
  for (const field of SECRET_FIELDS) if (secrets && field in secrets) masked[field] = maskSecret(secrets[field]);
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    config: row.config,
    secrets: masked,
    secretsReadable: secrets !== null,
    connectionStatus: row.connectionStatus,
    /** What the provider said at the last check (Meta: verifiedName, qualityRating, messagingLimit…). */
    providerDetails: row.providerDetails,
    qrCode: row.qrCode,
    sendRatePerSecond: row.sendRatePerSecond,
    active: row.active,
    /** How new conversations are routed (null: the global queue). */
    routing: row.routing,
    /** Path (on this API) the provider must post webhooks to. */
    webhookPath: row.provider === "META" ? "/webhooks/meta" : `/webhooks/evolution/${row.id}`,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type PublicInstance = ReturnType<typeof publicInstance>;
