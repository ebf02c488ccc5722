import { serviceInstances } from "@elsehu/db";
import { createProvider, type ProviderAdapter, type ProviderConfig, type ProviderKind } from "@elsehu/providers";
import { eq } from "drizzle-orm";
import type { CoreContext } from "../shared/context";
import { decryptJson } from "../shared/crypto";
import { DomainError, notFound } from "../shared/errors";

export type InstanceRow = typeof serviceInstances.$inferSelect;
/** The columns an adapter needs (what the dispatcher loads). */
export type InstanceSettingsRow = Pick<
  InstanceRow,
  "id" | "name" | "provider" | "config" | "secrets" | "sendRatePerSecond"
>;

/** The adapters' own default; a SENDING recipient older than this plus a margin had its call end. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 15_000;

/** Numeric settings stored as strings in the JSON config. */
const NUMERIC = new Set(["timeoutMs"]);

/** `config` (non-secret) merged with the decrypted `secrets`, numbers coerced. */
export function instanceSettings(ctx: CoreContext, row: InstanceSettingsRow): Record<string, string | number> {
  let secrets: Record<string, unknown> = {};
  try {
    secrets = decryptJson<Record<string, unknown>>(ctx.config.encryptionKey, row.secrets);
  } catch {
    // Never echo the blob or the key: name the instance only.
    throw new DomainError("PRECONDITION_FAILED", `Credenciais da instância "${row.name}" ilegíveis`, {
      instanceId: row.id,
    });
  }
  const merged: Record<string, string | number> = {};
  for (const [k, v] of Object.entries({ ...row.config, ...secrets })) {
    if (typeof v === "string" || typeof v === "number") merged[k] = NUMERIC.has(k) ? Number(v) : v;
  }
  return merged;
}

/** How long a provider call of this instance may take before the adapter gives up. */
export function providerTimeoutMs(row: InstanceSettingsRow): number {
  const t = Number(row.config.timeoutMs);
  return Number.isFinite(t) && t > 0 ? t : DEFAULT_PROVIDER_TIMEOUT_MS;
}

export function providerFromRow(ctx: CoreContext, row: InstanceSettingsRow): ProviderAdapter {
  const settings = instanceSettings(ctx, row);
  return createProvider(row.provider as ProviderKind, settings as unknown as ProviderConfig<ProviderKind>);
}

/**
 * Seam with the message pipeline: the adapter of a service instance. The
 * integrator may replace the body with the pipeline's loader; the signature stays.
 */
export async function providerForInstance(ctx: CoreContext, instanceId: string): Promise<ProviderAdapter> {
  const [row] = await ctx.db.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId));
  if (!row) throw notFound("Instance");
  return providerFromRow(ctx, row);
}
